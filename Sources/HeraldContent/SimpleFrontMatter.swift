/// A hand-written fast path for the one front matter shape nearly every post uses, in
/// front of Yams (which stays the parser of record). It is a strict subset of YAML:
///
///     title: "SOFA Weekly | 社区周报 #12"
///     date: 2024-05-03T15:00:00+08:00
///     tags: ["SOFARPC", '社区']
///     draft: true
///
/// one `key: value` per line at column 0 (key: letters, digits, `_`, `-`), blank lines
/// between them, and values that are
///   - nothing (`key:`),
///   - a plain scalar on one line with no `#`, no `: ` and no trailing `:`, not starting
///     with a YAML indicator character,
///   - a one-line double-quoted string whose only escapes are `\"` and `\\`,
///   - a one-line single-quoted string (`''` for a quote),
///   - a one-line flow list (`[...]`) of such quoted strings or of plain items without
///     flow or quote characters, `[]` included.
/// Anything else declines (`nil`) and the whole document goes to Yams: block lists,
/// `|`/`>` blocks, anchors, aliases, tags, comments anywhere, indented or continued lines,
/// nested mappings, multi-line flow, tabs, CR, control or YAML line-break characters (NEL,
/// U+2028/9), a BOM, other escapes, duplicate keys, an empty document. So every error,
/// with its line and message, still comes from Yams: bad input never takes this path.
///
/// Values are what `FrontMatterValues` would read from Yams' nodes with the basic
/// resolver (every scalar a string; `plain` kept because a plain empty/`~`/`null` means
/// absent). `FrontMatterFastPathTests` checks the two agree on every front matter in the
/// example publication, the fixtures and a list of tricky cases.
enum SimpleFrontMatter {
    /// libyaml refuses simple keys longer than 1024 characters; stay far below.
    private static let maxKeyLength = 128

    static func parse(_ yaml: Substring, lineOffset: Int) -> [String: FrontMatterValues.Entry]? {
        if let result = yaml.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0, lineOffset: lineOffset) }) {
            return result
        }
        var copy = String(yaml)
        return copy.withUTF8 { parse(bytes: $0, lineOffset: lineOffset) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int) -> [String: FrontMatterValues.Entry]? {
        guard bytes.count > 0, allCharactersAreSimple(bytes) else { return nil }
        var entries: [String: FrontMatterValues.Entry] = [:]
        entries.reserveCapacity(12)
        var lineStart = 0
        var line = 0
        while lineStart < bytes.count {
            line += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != newline { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            // Trailing spaces never matter in what is accepted below.
            var end = lineEnd
            while end > lineStart, bytes[end - 1] == space { end -= 1 }
            if end == lineStart { continue } // blank line
            guard isKeyStart(bytes[lineStart]) else { return nil }
            var i = lineStart + 1
            while i < end, isKeyByte(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == colon, i - lineStart <= maxKeyLength else { return nil }
            let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<i]), as: UTF8.self)
            i += 1
            let value: FrontMatterValues.Value
            if i == end {
                value = .scalar("", plain: true)
            } else {
                guard bytes[i] == space else { return nil } // `key:value` is one plain scalar
                while bytes[i] == space { i += 1 } // stops before `end`: the line was trimmed
                guard let parsed = parseValue(bytes, from: i, to: end) else { return nil }
                value = parsed
            }
            guard entries.updateValue(FrontMatterValues.Entry(value: value, line: line + lineOffset), forKey: key) == nil
            else { return nil } // a duplicate key: Yams words that problem
        }
        return entries.isEmpty ? nil : entries
    }

    /// The value in `bytes[start..<end]` (no leading or trailing spaces), nil when it is
    /// not one of the accepted shapes.
    private static func parseValue(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> FrontMatterValues.Value? {
        switch bytes[start] {
        case doubleQuote, singleQuote:
            guard let (string, next) = quoted(bytes, from: start, to: end), next == end else { return nil }
            return .scalar(string, plain: false)
        case openBracket:
            return flowList(bytes, from: start, to: end).map { .strings($0) }
        default:
            guard !isIndicator(bytes[start]) else { return nil }
            var i = start
            while i < end {
                switch bytes[i] {
                case hash: return nil // a comment after a space, or not: left to Yams
                case colon where i + 1 == end || bytes[i + 1] == space: return nil
                default: i += 1
                }
            }
            return .scalar(string(bytes, start, end), plain: true)
        }
    }

    /// `[a, "b", 'c']` on one line, the whole of `bytes[start..<end]`.
    private static func flowList(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> [String]? {
        var items: [String] = []
        var i = start + 1
        func skipSpaces() { while i < end, bytes[i] == space { i += 1 } }
        skipSpaces()
        if i < end, bytes[i] == closeBracket {
            return i + 1 == end ? [] : nil
        }
        while i < end {
            switch bytes[i] {
            case doubleQuote, singleQuote:
                guard let (string, next) = quoted(bytes, from: i, to: end) else { return nil }
                items.append(string)
                i = next
            default:
                // A plain item: no flow, quote, comment, mapping or other indicators in it.
                guard !isIndicator(bytes[i]) else { return nil }
                let itemStart = i
                while i < end, !isFlowPlainStop(bytes[i]) { i += 1 }
                var itemEnd = i
                while bytes[itemEnd - 1] == space { itemEnd -= 1 }
                items.append(string(bytes, itemStart, itemEnd))
            }
            skipSpaces()
            guard i < end else { return nil } // never closed on this line
            if bytes[i] == closeBracket {
                return i + 1 == end ? items : nil
            }
            guard bytes[i] == comma else { return nil }
            i += 1
            skipSpaces()
            // `[a, ]` and `[a,, b]` go to Yams.
            guard i < end, bytes[i] != closeBracket, bytes[i] != comma else { return nil }
        }
        return nil
    }

    /// A one-line quoted string starting at `start`; its text and the index after the closing quote.
    private static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (String, Int)? {
        let quote = bytes[start]
        var i = start + 1
        // Most strings have no escape: find the closing quote, then copy once.
        while i < end, bytes[i] != quote, bytes[i] != backslash || quote == singleQuote { i += 1 }
        guard i < end else { return nil }
        if bytes[i] == quote, quote == doubleQuote || i + 1 == end || bytes[i + 1] != singleQuote {
            return (string(bytes, start + 1, i), i + 1)
        }
        var text = Array(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<i]))
        while i < end {
            let byte = bytes[i]
            if quote == doubleQuote, byte == backslash {
                guard i + 1 < end, bytes[i + 1] == doubleQuote || bytes[i + 1] == backslash else { return nil }
                text.append(bytes[i + 1])
                i += 2
            } else if byte == quote {
                if quote == singleQuote, i + 1 < end, bytes[i + 1] == singleQuote {
                    text.append(singleQuote)
                    i += 2
                } else {
                    return (String(decoding: text, as: UTF8.self), i + 1)
                }
            } else {
                text.append(byte)
                i += 1
            }
        }
        return nil
    }

    /// No byte or character that YAML's reader refuses, that the loader would clean
    /// (`XMLSafeText`), or that YAML treats as a line break or space besides LF and ` `.
    private static func allCharactersAreSimple(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte < 0x80 {
                // Controls (tab and CR included) and DEL.
                if (byte < 0x20 && byte != newline) || byte == 0x7F { return false }
            } else if byte == 0xC2 {
                // U+0080…U+009F: C1 controls, and NEL, a line break to YAML.
                if i + 1 < n, bytes[i + 1] < 0xA0 { return false }
            } else if byte == 0xE2 {
                // U+2028, U+2029: line and paragraph separators, line breaks to YAML.
                if i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 { return false }
            } else if byte == 0xEF {
                // U+FEFF (a BOM, skipped by YAML at a line start), U+FFFE, U+FFFF.
                if i + 2 < n, (bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF) || (bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE) {
                    return false
                }
            }
            i += 1
        }
        return true
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private static func isKeyStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == underscore
    }

    private static func isKeyByte(_ b: UInt8) -> Bool {
        isKeyStart(b) || (b >= 0x30 && b <= 0x39) || b == minus
    }

    /// Characters that may start something other than a plain scalar (or that might, in
    /// some reading of the spec): such values go to Yams.
    private static func isIndicator(_ b: UInt8) -> Bool {
        switch b {
        case minus, UInt8(ascii: "?"), colon, comma, openBracket, closeBracket, UInt8(ascii: "{"), UInt8(ascii: "}"),
            hash, UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
            singleQuote, doubleQuote, UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), backslash, space:
            true
        default:
            false
        }
    }

    /// Where a plain item in a flow list ends, or where this path gives up on it: the
    /// stops are checked by the caller (`,` and `]` end the item; anything else declines).
    private static func isFlowPlainStop(_ b: UInt8) -> Bool {
        switch b {
        case comma, closeBracket, openBracket, UInt8(ascii: "{"), UInt8(ascii: "}"), hash, colon,
            singleQuote, doubleQuote, backslash:
            true
        default:
            false
        }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let colon = UInt8(ascii: ":")
    private static let comma = UInt8(ascii: ",")
    private static let hash = UInt8(ascii: "#")
    private static let minus = UInt8(ascii: "-")
    private static let underscore = UInt8(ascii: "_")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let singleQuote = UInt8(ascii: "'")
    private static let backslash = UInt8(ascii: "\\")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
}
