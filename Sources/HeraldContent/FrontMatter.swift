import HeraldBase
import HeraldConfig
import Yams

/// A post split into its front matter and its Markdown body. Front matter is Hugo's three
/// kinds: YAML between `---` lines, TOML between `+++` lines, or a JSON object.
struct FrontMatter {
    enum Format: Sendable { case yaml, toml, json }

    /// The front matter text: the YAML or TOML between the fences, or the JSON object.
    let yaml: Substring
    var format: Format = .yaml
    /// Line of the opening `---` (1, or later when blank lines come first).
    let openingLine: Int
    /// The Markdown after the closing `---`.
    let body: Substring

    /// Front matter is a dozen short keys; anything this large is a mistake or an attack,
    /// and refusing it keeps the YAML parser's time and memory bounded.
    static let maxBytes = 64 << 10
    /// Nodes the front matter may expand to once aliases are followed: a "billion laughs"
    /// document is tiny but expands exponentially, so it is measured with a budget.
    static let maxNodes = 10_000

    static func split(_ text: String, path: String) throws(SourceProblem) -> FrontMatter {
        var lines = LineCursor(text)
        guard let (first, firstLine) = lines.nextNonBlank() else {
            throw SourceProblem(
                path: path, line: 1,
                message:
                    "file is empty: a post needs front matter (--- title: … date: … ---) and a body")
        }
        if first.utf8.elementsEqual("+++".utf8) {
            let start = lines.position
            while let (line, _) = lines.next() {
                if line.utf8.elementsEqual("+++".utf8) {
                    return FrontMatter(
                        yaml: text[start..<lines.lastLineStart], format: .toml, openingLine: firstLine,
                        body: text[lines.position...])
                }
                if text.utf8.distance(from: start, to: lines.position) > maxBytes { break }
            }
            throw SourceProblem(
                path: path, line: firstLine,
                message:
                    "TOML front matter is never closed (or larger than \(maxBytes >> 10) KB): add a +++ line after it")
        }
        if first.utf8.first == UInt8(ascii: "{") {
            let start = text.utf8.index(first.startIndex, offsetBy: 0)
            guard let end = JSONObjectEnd.find(in: text, from: start, limit: maxBytes) else {
                throw SourceProblem(
                    path: path, line: firstLine,
                    message:
                        "JSON front matter is never closed: the object that starts here needs its closing }")
            }
            return FrontMatter(yaml: text[start..<end], format: .json, openingLine: firstLine, body: text[end...])
        }
        guard first.utf8.elementsEqual("---".utf8) else {
            throw SourceProblem(
                path: path, line: firstLine,
                message:
                    "missing front matter: the file must start with a --- line, then title: and date:, then --- (or Hugo's +++ TOML or { JSON })"
            )
        }
        let yamlStart = lines.position
        while true {
            guard let (line, _) = lines.next() else {
                throw SourceProblem(
                    path: path, line: firstLine,
                    message:
                        "front matter is never closed: add a --- line after it")
            }
            if Self.isFence(line) { break }
            if text.utf8.distance(from: yamlStart, to: lines.position) > maxBytes {
                throw SourceProblem(
                    path: path, line: firstLine,
                    message:
                        "front matter is larger than \(maxBytes >> 10) KB: is the closing --- missing?")
            }
        }
        return FrontMatter(
            yaml: text[yamlStart..<lines.lastLineStart], format: .yaml, openingLine: firstLine,
            body: text[lines.position...])
    }

    /// Whether `text` has no front matter at all (empty, or its first line opens none of
    /// the three kinds), as opposed to front matter that is broken.
    static func isAbsent(_ text: String) -> Bool {
        var lines = LineCursor(text)
        guard let (first, _) = lines.nextNonBlank() else { return true }
        return !(first.utf8.elementsEqual("+++".utf8) || first.utf8.first == UInt8(ascii: "{") || first.utf8.elementsEqual("---".utf8))
    }

    /// Byte comparison: `==` on strings normalizes non-ASCII text first, and most front
    /// matter lines hold Chinese.
    private static func isFence(_ line: Substring) -> Bool {
        line.utf8.elementsEqual("---".utf8) || line.utf8.elementsEqual("...".utf8)
    }

    /// The front matter's keys, with lines counted from the top of the file; nil when empty.
    func values(path: String) throws(SourceProblem) -> FrontMatterValues? {
        // The common shape (`key: value` lines) is read directly; anything else, errors
        // included, declines and is parsed by Yams. See `SimpleFrontMatter`.
        if format == .yaml, let entries = SimpleFrontMatter.parse(yaml, lineOffset: openingLine) {
            return FrontMatterValues(entries: entries, path: path, lineOffset: openingLine)
        }
        return try valuesWithYams(path: path)
    }

    /// `values` without `SimpleFrontMatter`: the plain way, which the fast path must agree
    /// with on every document it takes (`FrontMatterFastPathTests`).
    func valuesWithYams(path: String) throws(SourceProblem) -> FrontMatterValues? {
        if format != .yaml { return try foreignValues(path: path) }
        let node: Node
        do {
            // The basic resolver: Yams' default one runs a dozen regular expressions on every
            // scalar (to guess ints, floats, timestamps…) as soon as it hashes a key. Herald
            // reads every value as a string and parses dates and booleans itself.
            // The encoding is given because Yams' default reads the environment on every call.
            guard let composed = try Yams.compose(yaml: XMLSafeText.clean(String(yaml)), Resolver.basic, .default, .utf8)
            else { return nil }
            node = composed
        } catch {
            // `check` prints one problem per line, whatever the YAML library says.
            let problem = YAMLErrors.problem(error, path: path, text: String(yaml), lineOffset: openingLine)
            throw SourceProblem(path: path, line: problem.line ?? openingLine, message: Whitespace.collapsed(problem.message))
        }
        // Without an alias (`*name`) the tree is no bigger than the text, which is bounded
        // above; only documents that use aliases are walked and measured.
        var budget = Self.maxNodes
        guard !yaml.utf8.contains(UInt8(ascii: "*")) || Self.fits(node, budget: &budget) else {
            throw SourceProblem(
                path: path, line: openingLine,
                message:
                    "front matter expands to more than \(Self.maxNodes) YAML nodes (alias bomb?): remove the aliases")
        }
        return try FrontMatterValues(node, path: path, lineOffset: openingLine)
    }

    /// TOML or JSON front matter, read into the same values YAML gives. Their parsers give
    /// no line per key, so each key's line is the first line that starts defining it.
    private func foreignValues(path: String) throws(SourceProblem) -> FrontMatterValues? {
        let node: Node
        do {
            let text = XMLSafeText.clean(String(yaml))
            node = format == .toml ? try ForeignDocument.toml(text) : try ForeignDocument.json(text)
        } catch {
            // JSON's line is unknown: the opening brace is the place to look.
            let line = format == .toml ? openingLine + (error.line ?? 0) : openingLine
            throw SourceProblem(
                path: path, line: line,
                message:
                    "invalid \(format == .toml ? "TOML" : "JSON") front matter: \(Whitespace.collapsed(error.message))")
        }
        guard case .mapping(let mapping) = node else { return nil }
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var entries: [String: FrontMatterValues.Entry] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            let quoted = "\"" + name + "\""
            let index =
                lines.firstIndex { line in
                    let t = line.drop { $0 == " " || $0 == "\t" }
                    return format == .json ? t.hasPrefix(quoted) : (t.hasPrefix(name) || t.hasPrefix(quoted))
                } ?? 0
            entries[name] = FrontMatterValues.Entry(
                value: FrontMatterValues.Value(value),
                line: openingLine + index + (format == .toml ? 1 : 0))
        }
        return FrontMatterValues(entries: entries, path: path, lineOffset: openingLine)
    }

    private static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let seq):
            for child in seq where !fits(child, budget: &budget) { return false }
        case .mapping(let map):
            for (k, v) in map where !fits(k, budget: &budget) || !fits(v, budget: &budget) { return false }
        }
        return true
    }
}

/// Walks lines by UTF-8 index without copying them.
private struct LineCursor {
    let text: String
    private(set) var position: String.Index
    private(set) var lastLineStart: String.Index
    private(set) var line = 0

    init(_ text: String) {
        self.text = text
        position = text.startIndex
        lastLineStart = position
    }

    var atEnd: Bool { position == text.endIndex }

    /// The next line with trailing spaces trimmed, and its 1-based number.
    mutating func next() -> (Substring, Int)? {
        guard !atEnd else { return nil }
        lastLineStart = position
        let end = text.utf8[position...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
        var line = text[position..<end]
        while let last = line.utf8.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { line = line.dropLast() }
        position = end == text.endIndex ? end : text.utf8.index(after: end)
        self.line += 1
        return (line, self.line)
    }

    mutating func nextNonBlank() -> (Substring, Int)? {
        while let (line, number) = next() {
            if !line.utf8.isEmpty { return (line, number) }
        }
        return nil
    }
}

/// Where a JSON object that starts at `start` ends (just after its closing brace), with
/// strings and escapes skipped; nil when it is not closed within `limit` bytes.
private enum JSONObjectEnd {
    static func find(in text: String, from start: String.Index, limit: Int) -> String.Index? {
        var depth = 0
        var inString = false
        var escaped = false
        var count = 0
        var i = start
        let utf8 = text.utf8
        while i < utf8.endIndex, count <= limit {
            let b = utf8[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") {
                depth += 1
            } else if b == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return utf8.index(after: i) }
            }
            i = utf8.index(after: i)
            count += 1
        }
        return nil
    }
}
