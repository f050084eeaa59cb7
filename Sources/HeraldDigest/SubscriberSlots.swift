import Foundation
import HeraldMail

/// The body parts of one digest rendered once, with sentinels where the
/// subscriber's fields go: the lines that do not name the subscriber are kept
/// already quoted-printable encoded, the few that do are filled in per message.
///
/// A sentinel is `U+F8F0 "hQ&" INDEX U+F8F1`. Private-use characters do not occur in
/// what the templates produce (the composer checks, by comparing a cached message
/// with a full render for two probe subscribers); the `&` tells an HTML-escaped
/// `{{…}}` (`&amp;`) from a raw `{{{…}}}`, and the mixed-case letters make a
/// template transform such as `uppercased(subscriber.name)` show up as a broken
/// sentinel rather than pass through.
enum SubscriberSlots {
    /// The subscriber's fields as the templates see them, in sentinel order.
    enum Field: Int, CaseIterable, Sendable {
        case email, unsubscribeURL, name
    }

    static func sentinel(_ field: Field) -> String { "\u{F8F0}hQ&\(field.rawValue)\u{F8F1}" }

    private static let open: [UInt8] = Array("\u{F8F0}".utf8)
    private static let close: [UInt8] = Array("\u{F8F1}".utf8)
    private static let rawBody: [UInt8] = Array("hQ&".utf8)
    private static let escapedBody: [UInt8] = Array("hQ&amp;".utf8)

    /// A piece of a line that names the subscriber.
    enum Chunk: Sendable {
        case literal([UInt8])
        case field(Field, escaped: Bool)
    }

    /// One part (`text/plain` or `text/html`) as a sequence of pieces; the text
    /// of the part is their concatenation. Every piece but the last ends with a
    /// line feed, so each encodes on its own (quoted-printable works line by line).
    enum Piece: Sendable {
        case fixed(Segment)
        /// One template output line with sentinels, without its line feed.
        case slots([Chunk], terminated: Bool)
    }

    /// Text that does not depend on the subscriber, with what encoding it needs.
    struct Segment: Sendable {
        /// UTF-8 as the part's text has it (LF line ends).
        let raw: [UInt8]
        /// `QuotedPrintable.encode` of `raw`.
        let quotedPrintable: [UInt8]
        let size: BodyEncoding.Size

        init(_ raw: [UInt8]) {
            self.raw = raw
            quotedPrintable = QuotedPrintable.encode(bytes: raw)
            size = BodyEncoding.Size(raw)
        }
    }

    /// Splits a line into literals and sentinels; nil when it holds a private-use
    /// marker that is not a whole sentinel, or an escaped one where `allowEscaped` is false.
    static func chunks(_ line: [UInt8], allowEscaped: Bool) -> [Chunk]? {
        var result: [Chunk] = []
        var literal: [UInt8] = []
        var i = 0
        func at(_ i: Int, _ pattern: [UInt8]) -> Bool {
            i + pattern.count <= line.count && line[i..<(i + pattern.count)].elementsEqual(pattern)
        }
        while i < line.count {
            if at(i, close) { return nil }
            guard at(i, open) else {
                literal.append(line[i])
                i += 1
                continue
            }
            var j = i + open.count
            let escaped: Bool
            // The escaped form first: the raw one is its prefix.
            if allowEscaped, at(j, escapedBody) {
                escaped = true
                j += escapedBody.count
            } else if at(j, rawBody) {
                escaped = false
                j += rawBody.count
            } else {
                return nil
            }
            guard j < line.count, let field = Field(rawValue: Int(line[j]) - 0x30), at(j + 1, close) else { return nil }
            if !literal.isEmpty {
                result.append(.literal(literal))
                literal = []
            }
            result.append(.field(field, escaped: escaped))
            i = j + 1 + close.count
        }
        if !literal.isEmpty { result.append(.literal(literal)) }
        return result
    }

    static func hasMarker(_ line: some Collection<UInt8>) -> Bool {
        // Both markers start EF A3 and differ in the last byte.
        var iterator = line.makeIterator()
        var state = 0
        while let byte = iterator.next() {
            switch (state, byte) {
            case (_, 0xEF): state = 1
            case (1, 0xA3): state = 2
            case (2, 0xB0), (2, 0xB1): return true
            default: state = 0
            }
        }
        return false
    }

    /// The HTML part: lines without a sentinel grouped into segments.
    static func htmlPieces(_ rendered: String) -> [Piece]? {
        var pieces: [Piece] = []
        var pending: [UInt8] = []
        let bytes = Array(rendered.utf8)
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let terminated = end < bytes.count
            let line = bytes[start..<end]
            if hasMarker(line) {
                guard let chunks = chunks(Array(line), allowEscaped: true) else { return nil }
                if !pending.isEmpty {
                    pieces.append(.fixed(Segment(pending)))
                    pending = []
                }
                pieces.append(.slots(chunks, terminated: terminated))
            } else {
                pending += line
                if terminated { pending.append(0x0A) }
            }
            start = end + 1
        }
        if !pending.isEmpty { pieces.append(.fixed(Segment(pending))) }
        return pieces
    }

    /// The text part: `PlainTextLayout.finish` with the lines that name the
    /// subscriber left to lay out per message. Such a line is taken to lay out as
    /// at least one line, the last not empty (the composer checks per message),
    /// so the blank-line rules around it come out the same.
    static func textPieces(_ rendered: String, verbatim: [String]) -> [Piece]? {
        var out: [String] = []
        var dynamic: [Int: [Chunk]] = [:]
        for raw in PlainTextLayout.lines(of: rendered) {
            guard hasMarker(raw.utf8) else {
                PlainTextLayout.append(raw, verbatim: verbatim, to: &out)
                continue
            }
            guard let chunks = chunks(Array(raw.utf8), allowEscaped: false) else { return nil }
            dynamic[out.count] = chunks
            out.append("\u{F8F0}")
        }
        while out.last?.isEmpty == true { out.removeLast() }
        var pieces: [Piece] = []
        var pending: [UInt8] = []
        for (index, line) in out.enumerated() {
            if let chunks = dynamic[index] {
                if !pending.isEmpty {
                    pieces.append(.fixed(Segment(pending)))
                    pending = []
                }
                pieces.append(.slots(chunks, terminated: true))
            } else {
                pending += line.utf8
                pending.append(0x0A)
            }
        }
        if !pending.isEmpty { pieces.append(.fixed(Segment(pending))) }
        return pieces
    }

    /// The subscriber's values, raw and HTML-escaped as the templates escape them.
    struct Values {
        let raw: [[UInt8]?]
        let escaped: [[UInt8]?]

        /// `escaping`: the fields some piece wants HTML-escaped (`escapedFields(_:)`); only
        /// those are escaped, by `escape` (the template library's own escaping).
        init(_ values: [Field: String], escaping: Set<Field>, escape: (String) -> String) {
            raw = Field.allCases.map { values[$0].map { Array($0.utf8) } }
            escaped = Field.allCases.map { field in
                escaping.contains(field) ? values[field].map { Array(escape($0).utf8) } : nil
            }
        }

        func bytes(_ field: Field, escaped isEscaped: Bool) -> [UInt8]? {
            isEscaped ? escaped[field.rawValue] : raw[field.rawValue]
        }
    }

    static func escapedFields(_ pieces: [Piece]) -> Set<Field> {
        var fields: Set<Field> = []
        for case .slots(let chunks, _) in pieces {
            for case .field(let field, true) in chunks { fields.insert(field) }
        }
        return fields
    }

    static func fill(_ chunks: [Chunk], _ values: Values) -> [UInt8]? {
        var out: [UInt8] = []
        for chunk in chunks {
            switch chunk {
            case .literal(let bytes): out += bytes
            case .field(let field, let escaped):
                guard let value = values.bytes(field, escaped: escaped) else { return nil }
                out += value
            }
        }
        return out
    }

    /// The part's segments for one subscriber; nil when a line would not lay out
    /// as the cache assumed (the caller renders the message in full).
    static func segments(_ pieces: [Piece], _ values: Values, textLayout verbatim: [String]?) -> [Segment]? {
        var result: [Segment] = []
        result.reserveCapacity(pieces.count)
        for piece in pieces {
            switch piece {
            case .fixed(let segment): result.append(segment)
            case .slots(let chunks, let terminated):
                guard var line = fill(chunks, values) else { return nil }
                if let verbatim {
                    var out = ["\u{F8F0}"]
                    PlainTextLayout.append(String(decoding: line, as: UTF8.self)[...], verbatim: verbatim, to: &out)
                    guard out.count > 1, out.last?.isEmpty == false else { return nil }
                    line = Array(out.dropFirst().joined(separator: "\n").utf8)
                }
                if terminated { line.append(0x0A) }
                result.append(Segment(line))
            }
        }
        return result
    }

    /// `BodyEncoding.encode` of the segments' concatenation, without re-encoding
    /// the fixed segments when quoted-printable wins.
    static func encode(_ segments: [Segment]) -> (encoding: BodyEncoding, body: [UInt8]) {
        let size = segments.reduce(BodyEncoding.Size()) { $0 + $1.size }
        if size.encoding == .quotedPrintable {
            var body: [UInt8] = []
            body.reserveCapacity(segments.reduce(0) { $0 + $1.quotedPrintable.count })
            for segment in segments { body += segment.quotedPrintable }
            return (.quotedPrintable, body)
        }
        var raw: [UInt8] = []
        for segment in segments { raw += segment.raw }
        return (.base64, Array(BodyEncoding.base64Lines(BodyEncoding.crlf(String(decoding: raw, as: UTF8.self))).utf8))
    }
}
