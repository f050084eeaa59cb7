/// The byte-level reader behind `CSV.parse`. It works on UTF-8 bytes: every byte it looks
/// at (quote, comma, CR, LF) is ASCII, so a field boundary never falls inside a character.
/// Line numbers count LF, CRLF and a lone CR as one line end each, inside quotes too.
struct CSVParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func records() -> [CSV.Record] {
        var records: [CSV.Record] = []
        while index < bytes.count { records.append(record()) }
        return records
    }

    private enum FieldEnd { case comma, record }

    private enum FieldFailure: Error {
        /// Give up on the record and read again from the line after `line`.
        case restart(line: Int, lineStart: Int, CSV.Problem)
        /// Skip to the end of the record.
        case skipRecord(CSV.Problem)
    }

    private mutating func record() -> CSV.Record {
        let start = line
        var fields: [String] = []
        while true {
            do {
                let (field, end) = try self.field()
                fields.append(field)
                if end == .record { return CSV.Record(line: start, fields: fields, problem: nil) }
            } catch {
                switch error {
                case .restart(let quoteLine, let lineStart, let problem):
                    index = lineStart
                    line = quoteLine
                    skipLine()
                    return CSV.Record(line: quoteLine, fields: [], problem: problem)
                case .skipRecord(let problem):
                    skipLine()
                    return CSV.Record(line: start, fields: [], problem: problem)
                }
            }
        }
    }

    /// At a comma or a line break: steps past it and says which one ended the field.
    private mutating func end(at byte: UInt8) -> FieldEnd? {
        if byte == Self.comma {
            index += 1
            return .comma
        }
        if byte == Self.cr || byte == Self.lf {
            endLine()
            return .record
        }
        return nil
    }

    private mutating func field() throws(FieldFailure) -> (String, FieldEnd) {
        if index < bytes.count, bytes[index] == Self.quote { return try quotedField() }
        var field: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if let end = end(at: byte) { return (String(decoding: field, as: UTF8.self), end) }
            field.append(byte)
            index += 1
            if field.count > CSV.maximumFieldBytes { throw .skipRecord(.fieldTooLong) }
        }
        return (String(decoding: field, as: UTF8.self), .record)
    }

    private mutating func quotedField() throws(FieldFailure) -> (String, FieldEnd) {
        let quoteLine = line
        var lineStart = index
        while lineStart > 0, bytes[lineStart - 1] != Self.lf, bytes[lineStart - 1] != Self.cr { lineStart -= 1 }
        index += 1
        var field: [UInt8] = []
        var closed = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                if index + 1 < bytes.count, bytes[index + 1] == Self.quote {
                    field.append(Self.quote)
                    index += 2
                    continue
                }
                index += 1
                closed = true
                break
            }
            if byte == Self.lf || (byte == Self.cr && !(index + 1 < bytes.count && bytes[index + 1] == Self.lf)) { line += 1 }
            field.append(byte)
            index += 1
            if field.count > CSV.maximumFieldBytes { throw .restart(line: quoteLine, lineStart: lineStart, .fieldTooLong) }
        }
        guard closed else { throw .restart(line: quoteLine, lineStart: lineStart, .brokenQuote) }
        // Text after the closing quote is kept as part of the field, unless the quotes
        // spanned lines: then the quote most likely opened by mistake and swallowed rows.
        let spannedLines = line != quoteLine
        while index < bytes.count {
            let byte = bytes[index]
            if let end = end(at: byte) { return (String(decoding: field, as: UTF8.self), end) }
            if spannedLines { throw .restart(line: quoteLine, lineStart: lineStart, .brokenQuote) }
            field.append(byte)
            index += 1
            if field.count > CSV.maximumFieldBytes { throw .skipRecord(.fieldTooLong) }
        }
        return (String(decoding: field, as: UTF8.self), .record)
    }

    /// Past one line end (CRLF, LF or CR) at `index`.
    private mutating func endLine() {
        if bytes[index] == Self.cr, index + 1 < bytes.count, bytes[index + 1] == Self.lf { index += 1 }
        index += 1
        line += 1
    }

    /// To the start of the next line, ignoring quotes.
    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != Self.cr, bytes[index] != Self.lf { index += 1 }
        if index < bytes.count { endLine() }
    }
}
