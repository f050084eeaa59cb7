import CCurl
import Foundation

/// The one Swift type that holds libcurl pointers: an easy handle plus the memory
/// libcurl borrows from us during a transfer (the recipients list, the upload
/// body, the error buffer). All are freed in `deinit`. Not thread-safe: one
/// handle belongs to one thread, as libcurl requires.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// libcurl keeps this pointer (CURLOPT_MAIL_RCPT) and does not copy the list.
    private var recipients: UnsafeMutablePointer<curl_slist>?
    /// CURLOPT_ERRORBUFFER: libcurl writes into our memory, CURL_ERROR_SIZE bytes.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// State the C callbacks reach through their userdata pointer; owned here, so
    /// it outlives every transfer of this handle.
    private let transfer = Transfer()

    /// Where a transfer stands, as seen by the callbacks.
    final class Transfer {
        var body: [UInt8] = []
        var offset = 0
        /// Last complete line the server sent (e.g. `550 5.1.1 <x@y>: unknown user`).
        var lastReply: [UInt8] = []
        /// The last command we sent, to tell a refused sender from a refused recipient.
        var stage: SMTPStage = .connect
        /// libcurl sent QUIT (it closes a connection after a failed transaction): what
        /// follows says nothing about the message, so stage and reply stay as they were.
        var closing = false
    }

    struct Failure: Error, Sendable, CustomStringConvertible {
        let code: UInt32
        let message: String
        var description: String { message }
    }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init() throws(Failure) {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { throw Failure(code: 2, message: "curl_easy_init failed") }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        let userdata = Unmanaged.passUnretained(transfer).toOpaque()
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(CCurl_easy_setopt_read_function(handle, curlRead))
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_READDATA, userdata))
        try check(CCurl_easy_setopt_debug_function(handle, curlDebug))
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, userdata))
        // The debug callback is how we see the server's reply text; it only runs in verbose mode.
        try set(CURLOPT_VERBOSE, 1)
        // Threads + signals (for DNS timeouts) do not mix.
        try set(CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(recipients)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode) throws(Failure) {
        guard code == CURLE_OK else {
            throw Failure(code: code.rawValue, message: String(cString: curl_easy_strerror(code)))
        }
    }

    func set(_ option: CURLoption, _ value: Int) throws(Failure) {
        try check(CCurl_easy_setopt_long(handle, option, value))
    }

    /// libcurl copies strings, so the Swift string may go away afterwards.
    func set(_ option: CURLoption, _ value: String) throws(Failure) {
        try check(CCurl_easy_setopt_string(handle, option, value))
    }

    func setBlob(_ option: CURLoption, _ bytes: [UInt8]) throws(Failure) {
        let code = bytes.withUnsafeBytes { CCurl_easy_setopt_blob_copy(handle, option, $0.baseAddress, $0.count) }
        try check(code)
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafePointer<CChar>? = nil
        guard CCurl_easy_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = CCurl_easy_getinfo_long(handle, info, &value)
        return value
    }

    func setRecipients(_ addresses: [String]) throws(Failure) {
        curl_slist_free_all(recipients)
        recipients = nil
        for address in addresses { recipients = curl_slist_append(recipients, address) }
        try check(CCurl_easy_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients))
    }

    /// The bytes to upload on the next `perform`; libcurl reads them through `curlRead`.
    func setBody(_ bytes: [UInt8]) throws(Failure) {
        transfer.body = bytes
        transfer.offset = 0
        try set(CURLOPT_INFILESIZE_LARGE, bytes.count)
    }

    struct Result {
        let code: UInt32
        /// libcurl's explanation when `code` is not CURLE_OK.
        let error: String
        /// Last SMTP reply code (CURLINFO_RESPONSE_CODE), 0 if none.
        let replyCode: Int
        let replyText: String
        let stage: SMTPStage
    }

    /// Runs one transfer on this handle; an open connection from the previous one is reused.
    func perform() -> Result {
        errorBuffer[0] = 0
        transfer.lastReply.removeAll(keepingCapacity: true)
        transfer.stage = .connect
        transfer.closing = false
        transfer.offset = 0
        let code = curl_easy_perform(handle)
        var error = String(cString: errorBuffer)
        if error.isEmpty && code != CURLE_OK { error = String(cString: curl_easy_strerror(code)) }
        return Result(code: code.rawValue, error: error, replyCode: long(CURLINFO_RESPONSE_CODE),
                      replyText: String(decoding: transfer.lastReply, as: UTF8.self), stage: transfer.stage)
    }
}

/// CURLOPT_READFUNCTION: copies the next slice of the body. Non-capturing, as
/// Swift 6 requires for C callbacks; state comes through `userdata`.
private func curlRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                      _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let t = Unmanaged<CurlEasy.Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, t.body.count - t.offset)
    guard n > 0 else { return 0 }
    t.body.withUnsafeBytes { src in
        UnsafeMutableRawPointer(buffer).copyMemory(from: src.baseAddress! + t.offset, byteCount: n)
    }
    t.offset += n
    return n
}

/// CURLOPT_DEBUGFUNCTION: keeps the server's last reply line and the stage of the
/// SMTP dialogue (which command the next reply answers).
private func curlDebug(_ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?,
                       _ size: Int, _ userdata: UnsafeMutableRawPointer?) -> Int32 {
    guard let data, let userdata else { return 0 }
    let t = Unmanaged<CurlEasy.Transfer>.fromOpaque(userdata).takeUnretainedValue()
    switch type {
    case CURLINFO_HEADER_IN where !t.closing:
        let bytes = UnsafeRawBufferPointer(start: data, count: size)
        t.lastReply.removeAll(keepingCapacity: true)
        t.lastReply.append(contentsOf: bytes.prefix { $0 != 13 && $0 != 10 })
    case CURLINFO_HEADER_OUT where !t.closing:
        let stage = SMTPStage(command: UnsafeRawBufferPointer(start: data, count: min(size, 4)))
        if stage == .quit { t.closing = true } else { t.stage = stage }
    case CURLINFO_DATA_OUT:
        t.stage = .body
    default:
        break
    }
    return 0
}
