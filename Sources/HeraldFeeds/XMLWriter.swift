import CLibXML2
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// A streaming XML writer over libxml2's `xmlTextWriter`, writing straight to a file
/// descriptor so a 60 MB feed never sits in memory. libxml2 writes the document and
/// escapes attributes; element text is escaped by `EscapedText`, byte for byte as libxml2
/// would, after characters XML 1.0 cannot carry at all are removed (`XMLSafeText`: the
/// loader already did, but the writer must not depend on every caller having done so).
/// The only place with libxml2 pointers.
///
/// Calls do not throw one by one: the first failure is remembered and `finish()` reports it,
/// which keeps the feed writers readable.
final class XMLWriter {
    private let writer: xmlTextWriterPtr
    private let sink: ByteSink
    private let path: String
    private var failed: String?
    /// Open elements, and whether the innermost one's start tag still lacks its `>`:
    /// a fragment fits only where libxml2 would itself have started that element.
    private var depth = 0
    private var startTagOpen = false

    /// `path` is only for error messages; the caller owns (and closes) `fileDescriptor`.
    convenience init(fileDescriptor: Int32, path: String) throws(FileError) {
        try self.init(sink: DescriptorSink(fileDescriptor), path: path)
    }

    private init(sink: ByteSink, path: String) throws(FileError) {
        self.path = path
        _ = Self.initialized
        self.sink = sink
        // Unretained: `self` holds the sink until after xmlFreeTextWriter's last flush.
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard let out = xmlOutputBufferCreateIO(xmlWriteToSink, nil, context, nil),
            let writer = xmlNewTextWriter(out)
        else {
            throw FileError(path: path, message: "libxml2 could not create a writer (out of memory?)")
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
        depth += 1
        startTagOpen = true
    }

    func end() {
        check(xmlTextWriterEndElement(writer), "end element")
        depth -= 1
        startTagOpen = false
    }

    func attribute(_ name: String, _ value: String) {
        let value = XMLSafeText.clean(value)
        check(withXML(name) { n in withXML(value) { xmlTextWriterWriteAttribute(writer, n, $0) } }, name)
    }

    /// Character data, escaped (`<`, `>`, `&`, `"`, CR) as libxml2's `xmlTextWriterWriteString`
    /// escapes it (see `EscapedText`), so `]]>` or markup is just text.
    func text(_ value: String) {
        precondition(depth > 0, "text outside any element")
        raw(EscapedText(value).bytes, "text")
    }

    /// `<name a="…">text</name>`
    func element(_ name: String, _ value: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        start(name)
        for (k, v) in attributes { attribute(k, v) }
        text(value)
        end()
    }

    /// `<name a="…">text</name>` with text escaped beforehand (see `EscapedText`).
    func element(_ name: String, _ escaped: EscapedText, _ attributes: KeyValuePairs<String, String> = [:]) {
        start(name)
        for (k, v) in attributes { attribute(k, v) }
        if escaped.bytes.count < Self.direct {
            raw(escaped.bytes, "text")
        } else {
            // What xmlTextWriterWriteRawLen does (close the start tag, then the bytes),
            // with the bytes going to the sink instead of through libxml2's buffer.
            raw([], "text")
            append(escaped.bytes)
        }
        end()
    }

    /// Text from this size on skips libxml2's buffer: a post's HTML is copied once less.
    private static let direct = 1024

    /// A fragment made by `fragment(depth:_:)`, here, where it is the next child of the
    /// open element; the writer is left as if it had written the fragment's elements itself.
    func write(_ fragment: XMLFragment) {
        precondition(fragment.depth == depth && !startTagOpen, "an XML fragment written where it was not made for")
        if let failure = fragment.failure, failed == nil { failed = failure }
        // Already libxml2's output: straight to the sink, not through its buffer again.
        append(fragment.bytes)
    }

    /// `bytes` to the sink after what libxml2 holds in its buffer.
    private func append(_ bytes: [UInt8]) {
        check(xmlTextWriterFlush(writer), "flush")
        let ok = bytes.withUnsafeBytes { $0.isEmpty || sink.append($0.baseAddress!, $0.count) }
        if !ok { check(-1, "write") }
    }

    /// What libxml2 writes for the elements `body` writes as children of an element at
    /// `depth` (1: the root's children), to be copied into documents with `write(_:)`.
    /// libxml2's output for an element depends only on that depth (its indentation) and
    /// on the parent's start tag being closed, which `write(_:)` checks; a post's entry is
    /// so written once and copied into every feed that carries it.
    /// `capacity`: the size expected, so the bytes are not moved as they grow.
    static func fragment(depth: Int, capacity: Int = 0, _ body: (XMLWriter) -> Void) -> XMLFragment {
        let memory = MemorySink()
        let xml: XMLWriter
        do { xml = try XMLWriter(sink: memory, path: "") } catch {
            return XMLFragment(bytes: [], depth: depth, failure: "libxml2 could not create a writer (out of memory?)")
        }
        // Enclosing elements, the innermost with its start tag closed as a sibling would
        // have closed it; their bytes are dropped.
        for _ in 0..<depth { xml.start("x") }
        if depth > 0 { xml.raw([], "fragment") }
        xml.check(xmlTextWriterFlush(xml.writer), "flush")
        memory.bytes.removeAll(keepingCapacity: true)
        memory.bytes.reserveCapacity(capacity)
        body(xml)
        xml.check(xmlTextWriterFlush(xml.writer), "flush")
        precondition(xml.depth == depth, "an XML fragment must close the elements it opens")
        return XMLFragment(bytes: memory.bytes, depth: depth, failure: xml.failed)
    }

    private func raw(_ bytes: [UInt8], _ step: String) {
        let result =
            bytes.isEmpty
            // libxml2 refuses a null pointer, which an empty array may give.
            ? withXML("") { xmlTextWriterWriteRawLen(writer, $0, 0) }
            : bytes.withUnsafeBufferPointer { xmlTextWriterWriteRawLen(writer, $0.baseAddress, Int32($0.count)) }
        check(result, step)
        startTagOpen = false
    }

    /// `<?target content?>` before the root element, such as `xml-stylesheet`.
    func processingInstruction(_ target: String, _ content: String) {
        precondition(depth == 0, "a processing instruction belongs before the root element")
        check(withXML(target) { t in withXML(content) { xmlTextWriterWritePI(writer, t, $0) } }, target)
    }

    /// `<name a="…"/>`
    func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        start(name)
        for (k, v) in attributes { attribute(k, v) }
        end()
    }

    /// Closes open elements and flushes everything to the descriptor.
    func finish() throws(FileError) {
        check(xmlTextWriterEndDocument(writer), "end document")
        check(xmlTextWriterFlush(writer), "flush")
        if !sink.flush() { check(-1, "write") }
        if let failed {
            throw FileError(path: path, message: "could not write the feed (\(failed)): is the disk full or the folder read-only?")
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

/// Bytes libxml2 wrote for a run of elements at a known depth (see `XMLWriter.fragment`),
/// with the first failure met while writing them, which the document they are written
/// into then reports.
struct XMLFragment: Sendable {
    let bytes: [UInt8]
    fileprivate let depth: Int
    fileprivate let failure: String?

    /// Bytes `fragment` made for `depth` without a failure, kept (`FeedEntryCache`).
    init(kept bytes: [UInt8], depth: Int) {
        self.init(bytes: bytes, depth: depth, failure: nil)
    }

    fileprivate init(bytes: [UInt8], depth: Int, failure: String?) {
        self.bytes = bytes
        self.depth = depth
        self.failure = failure
    }

    /// libxml2 failed while making it: such a fragment is never kept.
    var failed: Bool { failure != nil }
}

/// Element text escaped once, then written verbatim wherever it appears: a post's HTML
/// that goes into the Atom and RSS entries of every feed carrying it is escaped once.
///
/// The bytes are exactly those of libxml2's `xmlEncodeSpecialChars`, the routine
/// `xmlTextWriterWriteString` uses for element text (`<` `&lt;`, `>` `&gt;`, `&` `&amp;`,
/// `"` `&quot;`, CR `&#13;`, every other byte as it is), after `XMLSafeText` has dropped
/// what XML cannot carry; the tests hold the two side by side. Done here rather than by
/// libxml2 because this way it is one pass, 8 bytes at a time where nothing needs
/// escaping, straight into the result, instead of a byte loop into a growing C buffer,
/// a scan for its length and a copy out of it.
///
/// The bytes keep the room reserved for the longest possible result (six times the
/// text, touched only as far as written): a value is made to be written soon and dropped.
struct EscapedText: Sendable {
    fileprivate let bytes: [UInt8]
    var count: Int { bytes.count }

    init(_ text: String) {
        bytes = Self.escape(XMLSafeText.clean(text), amp: Self.amp, lt: Self.lt)
    }

    /// Plain text for an RSS element that readers may take for HTML (titles, names,
    /// categories). The RSS Best Practices Profile asks for `&` and `<` as the character
    /// references `&#x26;` and `&#x3C;` there, so a reader that decodes twice still shows
    /// them; any XML parser reads the same text either way.
    init(rssPlainText text: String) {
        bytes = Self.escape(XMLSafeText.clean(text), amp: Self.hexAmp, lt: Self.hexLt)
    }

    private static let amp: StaticString = "&amp;", lt: StaticString = "&lt;"
    private static let hexAmp: StaticString = "&#x26;", hexLt: StaticString = "&#x3C;"
    private static let gt: StaticString = "&gt;", quot: StaticString = "&quot;", cr: StaticString = "&#13;"

    /// `text` with `<` `>` `&` `"` CR replaced (`amp` and `lt` for `&` and `<`), in one
    /// pass into room for the longest possible result: 8 bytes at a time are tested and
    /// copied as a word until a word holds one of the five.
    private static func escape(_ text: String, amp: StaticString, lt: StaticString) -> [UInt8] {
        var text = text
        return text.withUTF8 { input -> [UInt8] in
            guard let start = input.baseAddress, !input.isEmpty else { return [] }
            let longest = max(amp.utf8CodeUnitCount, lt.utf8CodeUnitCount, quot.utf8CodeUnitCount)
            return [UInt8](unsafeUninitializedCapacity: input.count * longest) { out, count in
                var o = out.baseAddress!
                var p = start
                let end = start + input.count
                func put(_ entity: StaticString) {
                    o.initialize(from: entity.utf8Start, count: entity.utf8CodeUnitCount)
                    o += entity.utf8CodeUnitCount
                }
                while p < end {
                    while end - p >= 8 {
                        let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                        if SWAR.has(word, 0x3C) || SWAR.has(word, 0x3E) || SWAR.has(word, 0x26)
                            || SWAR.has(word, 0x22) || SWAR.has(word, 0x0D)
                        {
                            break
                        }
                        UnsafeMutableRawPointer(o).storeBytes(of: word, as: UInt64.self)
                        o += 8
                        p += 8
                    }
                    guard p < end else { break }
                    switch p.pointee {
                    case UInt8(ascii: "<"): put(lt)
                    case UInt8(ascii: ">"): put(gt)
                    case UInt8(ascii: "&"): put(amp)
                    case UInt8(ascii: "\""): put(quot)
                    case 0x0D: put(cr)
                    case let byte:
                        o.initialize(to: byte)
                        o += 1
                    }
                    p += 1
                }
                count = o - out.baseAddress!
            }
        }
    }
}

/// libxml2's write callback: all of `buffer` to the sink in the context pointer.
private func xmlWriteToSink(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer else { return -1 }
    let sink = Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue()
    return length == 0 || sink.append(buffer, Int(length)) ? length : -1
}

/// A fragment's bytes, gathered in memory.
private final class MemorySink: ByteSink {
    var bytes: [UInt8] = []

    override func append(_ bytes: UnsafeRawPointer, _ length: Int) -> Bool {
        self.bytes.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: length))
        return true
    }
}
