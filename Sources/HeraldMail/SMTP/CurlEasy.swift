import CCurl
import Foundation

/// The one Swift type that holds libcurl pointers: an easy handle plus the memory
/// libcurl borrows from us during a transfer (the recipients list, the upload
/// body, the error buffer). All are freed in `deinit`. Not thread-safe: one
/// handle belongs to one thread, as libcurl requires.
package final class CurlEasy {
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
        /// Asked before the last bytes of the body are handed to libcurl, which sends the
        /// final "." right after them: false abandons the transfer while the server
        /// cannot have the message yet.
        var beforeEnd: (() -> Bool)? = nil
        /// The last bytes of the body went to libcurl: from here on the server may have it.
        var bodyEnded = false
        /// A reply line arrived after `bodyEnded`: the server's answer to the final ".".
        var answeredAfterBody = false
        /// Monotonic nanoseconds of the last command, data or reply line; timeouts count from it.
        var lastActivity: UInt64 = 0
        /// How long to wait for a reply to a command (and for the greeting), and for the
        /// reply to the final "." (RFC 5321 4.5.3.2 gives that one its own, longer limit).
        var replyTimeout: UInt64 = 0
        var finalReplyTimeout: UInt64 = 0
        /// The progress callback gave up waiting (`replyTimeout` or `finalReplyTimeout`).
        var timedOut = false
    }

    package struct Failure: Error, Sendable, CustomStringConvertible {
        let code: UInt32
        package let message: String
        package var description: String { message }
    }

    /// Why libcurl cannot be used in this process (it is loaded on first use), or nil.
    package static var unavailable: String? { CCurl_load().map { String(cString: $0) } }

    package init() throws(Failure) {
        if let problem = Self.unavailable { throw Failure(code: CURLE_FAILED_INIT.rawValue, message: problem) }
        guard let h = CCurl_easy_init() else { throw Failure(code: CURLE_FAILED_INIT.rawValue, message: "curl_easy_init failed") }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        let userdata = Unmanaged.passUnretained(transfer).toOpaque()
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(CCurl_easy_setopt_read_function(handle, curlRead))
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_READDATA, userdata))
        try check(CCurl_easy_setopt_debug_function(handle, curlDebug))
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, userdata))
        // The progress callback enforces the per-command timeouts; libcurl calls it at
        // least once a second while it waits, in every state.
        try check(CCurl_easy_setopt_xferinfo_function(handle, curlProgress))
        try check(CCurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, userdata))
        try set(CURLOPT_NOPROGRESS, 0)
        // The debug callback is how we see the server's reply text; it only runs in verbose mode.
        try set(CURLOPT_VERBOSE, 1)
        // Threads + signals (for DNS timeouts) do not mix.
        try set(CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        CCurl_easy_cleanup(handle)
        CCurl_slist_free_all(recipients)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode) throws(Failure) {
        guard code == CURLE_OK else {
            throw Failure(code: code.rawValue, message: String(cString: CCurl_easy_strerror(code)))
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

    /// Per-step timeouts, in seconds, for every transfer of this handle, enforced by the
    /// progress callback. libcurl's own limits stay as backstops above them, so they never
    /// race it: its connect timeout spans the whole setup (TCP, TLS, greeting, EHLO,
    /// STARTTLS, AUTH) at once, its response timeout every wait for a reply.
    func setTimeouts(reply: Int, finalReply: Int) throws(Failure) {
        transfer.replyTimeout = UInt64(reply) * 1_000_000_000
        transfer.finalReplyTimeout = UInt64(finalReply) * 1_000_000_000
        try set(CURLOPT_CONNECTTIMEOUT, 3 * reply + 5)
        try set(CURLOPT_SERVER_RESPONSE_TIMEOUT, max(reply, finalReply) + 5)
    }

    /// Cuts the TCP connection libcurl keeps for the next transfer. After a failure the
    /// session's state is unknown: libcurl 7.88 even keeps the connection when the wait
    /// for the reply to the final "." fails, and the late reply is then read as the answer
    /// to the next MAIL. A shut-down socket is found dead at the next transfer and closed
    /// without QUIT, so that transfer opens a new session.
    func dropConnection() {
        // -1 when libcurl no longer holds the connection (it closed it itself).
        let socket = long(CURLINFO_LASTSOCKET)
        if socket >= 0 { _ = shutdown(Int32(socket), Int32(SHUT_RDWR)) }
    }

    func setRecipients(_ addresses: [String]) throws(Failure) {
        CCurl_slist_free_all(recipients)
        recipients = nil
        for address in addresses { recipients = CCurl_slist_append(recipients, address) }
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
        let bodyEnded: Bool
        let answeredAfterBody: Bool
        let timedOut: Bool
        /// The TCP connection was up (the failure, if any, came from the server's side of it).
        let connected: Bool
    }

    /// Runs one transfer on this handle; an open connection from the previous one is reused.
    /// `beforeEnd` runs before the last bytes of the body go out (see `Transfer.beforeEnd`).
    func perform(beforeEnd: (() -> Bool)? = nil) -> Result {
        errorBuffer[0] = 0
        transfer.lastReply.removeAll(keepingCapacity: true)
        transfer.stage = .connect
        transfer.closing = false
        transfer.offset = 0
        transfer.beforeEnd = beforeEnd
        transfer.bodyEnded = false
        transfer.answeredAfterBody = false
        transfer.timedOut = false
        transfer.lastActivity = monotonicNanoseconds()
        let code = CCurl_easy_perform(handle)
        transfer.beforeEnd = nil
        var error = String(cString: errorBuffer)
        if error.isEmpty && code != CURLE_OK { error = String(cString: CCurl_easy_strerror(code)) }
        var connectTime: curl_off_t = 0
        _ = CCurl_easy_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
        return Result(
            code: code.rawValue, error: error, replyCode: long(CURLINFO_RESPONSE_CODE),
            replyText: String(decoding: transfer.lastReply, as: UTF8.self), stage: transfer.stage,
            bodyEnded: transfer.bodyEnded, answeredAfterBody: transfer.answeredAfterBody,
            timedOut: transfer.timedOut, connected: connectTime > 0 || long(CURLINFO_NUM_CONNECTS) == 0)
    }
}

extension CurlEasy {
    /// One HTTP POST of `form` (already `application/x-www-form-urlencoded`) to `url`, the
    /// answer's body read and dropped, within `timeout` seconds in all: the HTTP status, or
    /// libcurl's reason when no answer came.
    package func postForm(_ url: String, form: String, timeout: Int) -> Swift.Result<Int, Failure> {
        do {
            try set(CURLOPT_URL, url)
            // COPYPOSTFIELDS: libcurl keeps its own copy of the body.
            try set(CURLOPT_POSTFIELDSIZE, form.utf8.count)
            try set(CURLOPT_COPYPOSTFIELDS, form)
            try set(CURLOPT_TIMEOUT, timeout)
            try set(CURLOPT_CONNECTTIMEOUT, timeout)
            try check(CCurl_easy_setopt_write_function(handle, curlDiscard))
        } catch {
            return .failure(error)
        }
        let result = perform()
        guard result.code == CURLE_OK.rawValue else { return .failure(Failure(code: result.code, message: result.error)) }
        return .success(long(CURLINFO_RESPONSE_CODE))
    }
}

/// CURLOPT_WRITEFUNCTION for answers nobody reads (without one, libcurl prints them).
private func curlDiscard(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    size * count
}

private func monotonicNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// CURLOPT_READFUNCTION: copies the next slice of the body. Non-capturing, as
/// Swift 6 requires for C callbacks; state comes through `userdata`.
private func curlRead(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userdata else { return 0 }
    let t = Unmanaged<CurlEasy.Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, t.body.count - t.offset)
    guard n > 0 else { return 0 }
    if t.offset + n == t.body.count && !t.bodyEnded {
        // libcurl writes the final "." as soon as it has these bytes (it does not ask
        // again when it knows the size), so this is the last moment to hold it back.
        if let gate = t.beforeEnd, !gate() { return Int(CURL_READFUNC_ABORT) }
        t.bodyEnded = true
        t.lastActivity = monotonicNanoseconds()
    }
    t.body.withUnsafeBytes { src in
        UnsafeMutableRawPointer(buffer).copyMemory(from: src.baseAddress! + t.offset, byteCount: n)
    }
    t.offset += n
    return n
}

/// CURLOPT_XFERINFOFUNCTION: gives up (non-zero) when the server has been silent
/// longer than the limit for what we wait for: a reply to a command, or to the final ".".
private func curlProgress(
    _ userdata: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t,
    _ ultotal: curl_off_t, _ ulnow: curl_off_t
) -> Int32 {
    guard let userdata else { return 0 }
    let t = Unmanaged<CurlEasy.Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let limit = t.bodyEnded && !t.closing ? t.finalReplyTimeout : t.replyTimeout
    guard limit > 0, monotonicNanoseconds() &- t.lastActivity > limit else { return 0 }
    t.timedOut = true
    return 1
}

/// CURLOPT_DEBUGFUNCTION: keeps the server's last reply line and the stage of the
/// SMTP dialogue (which command the next reply answers).
private func curlDebug(
    _ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int32 {
    guard let data, let userdata else { return 0 }
    let t = Unmanaged<CurlEasy.Transfer>.fromOpaque(userdata).takeUnretainedValue()
    if type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT {
        t.lastActivity = monotonicNanoseconds()
    }
    switch type {
    case CURLINFO_HEADER_IN where !t.closing:
        let bytes = UnsafeRawBufferPointer(start: data, count: size)
        t.lastReply.removeAll(keepingCapacity: true)
        t.lastReply.append(contentsOf: bytes.prefix { $0 != 13 && $0 != 10 })
        if t.bodyEnded { t.answeredAfterBody = true }
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
