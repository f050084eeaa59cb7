#if canImport(Glibc)
import Glibc
#endif
import CLibXML2

/// A streaming XML writer over libxml2's `xmlTextWriter`, writing straight to a file
/// descriptor so a 60 MB feed never sits in memory. libxml2 does the escaping; this type
/// only removes characters XML 1.0 cannot carry at all. The only place with libxml2 pointers.
///
/// Calls do not throw one by one: the first failure is remembered and `finish()` reports it,
/// which keeps the feed writers readable.
final class XMLWriter {
    private let writer: xmlTextWriterPtr
    private let path: String
    private var failed: String?

    /// `path` is only for error messages; the caller owns (and closes) `fileDescriptor`.
    init(fileDescriptor: Int32, path: String) throws(FeedError) {
        self.path = path
        _ = Self.initialized
        // The descriptor travels through libxml2's context pointer (+1, so 0 is not NULL).
        let context = UnsafeMutableRawPointer(bitPattern: Int(fileDescriptor) + 1)
        guard let out = xmlOutputBufferCreateIO(xmlWriteToDescriptor, nil, context, nil),
              let writer = xmlNewTextWriter(out) else {
            throw FeedError(path: path, message: "libxml2 could not create a writer (out of memory?)")
        }
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        check(withXML("  ") { xmlTextWriterSetIndentString(writer, $0) }, "indent")
        // No encoding argument: UTF-8 is XML's default and libxml2 then skips a UTF-8 → UTF-8
        // conversion pass over every byte.
        check(xmlTextWriterStartDocument(writer, "1.0", nil, nil), "start document")
    }

    deinit { xmlFreeTextWriter(writer) }

    /// libxml2 must set up its globals once before writers are used from several threads.
    private static let initialized: Void = xmlInitParser()

    func start(_ name: String) {
        check(withXML(name) { xmlTextWriterStartElement(writer, $0) }, name)
    }

    func end() {
        check(xmlTextWriterEndElement(writer), "end element")
    }

    func attribute(_ name: String, _ value: String) {
        let value = Self.cleaned(value)
        check(withXML(name) { n in withXML(value) { xmlTextWriterWriteAttribute(writer, n, $0) } }, name)
    }

    /// Character data, escaped by libxml2 (`<`, `>`, `&`, CR), so `]]>` or markup is just text.
    func text(_ value: String) {
        let value = Self.cleaned(value)
        check(withXML(value) { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    /// `<name a="…">text</name>`
    func element(_ name: String, _ value: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        start(name)
        for (k, v) in attributes { attribute(k, v) }
        text(value)
        end()
    }

    /// `<name a="…"/>`
    func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        start(name)
        for (k, v) in attributes { attribute(k, v) }
        end()
    }

    /// Closes open elements and flushes everything to the descriptor.
    func finish() throws(FeedError) {
        check(xmlTextWriterEndDocument(writer), "end document")
        check(xmlTextWriterFlush(writer), "flush")
        if let failed {
            throw FeedError(path: path, message: "could not write the feed (\(failed)): is the disk full or the folder read-only?")
        }
    }

    private func check(_ result: Int32, _ step: String) {
        if result < 0, failed == nil {
            let code = errno
            failed = code == 0 ? step : "\(step): \(String(cString: strerror(code)))"
        }
    }

    private func withXML<R>(_ s: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
        s.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }
}

extension XMLWriter {
    /// Drops what XML 1.0 forbids: C0 controls but tab/LF/CR, U+FFFE, U+FFFF. The loader
    /// already removes them from posts; this is the writer's own guarantee for every
    /// other source (config, future callers). Returns `s` itself when clean (the usual case).
    static func cleaned(_ s: String) -> String {
        guard needsCleaning(s) else { return s }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: s.unicodeScalars.lazy.filter { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: true
            case 0x00..<0x20, 0xFFFE, 0xFFFF: false
            default: true
            }
        })
        return String(scalars)
    }

    private static func needsCleaning(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D { return true }
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                if b == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return true }
                i += 1
            }
            return false
        }
    }
}

/// libxml2's write callback: all of `buffer` to the descriptor in the context pointer.
private func xmlWriteToDescriptor(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer else { return -1 }
    let fd = Int32(Int(bitPattern: context) - 1)
    return writeAll(fd, buffer, Int(length)) ? length : -1
}
