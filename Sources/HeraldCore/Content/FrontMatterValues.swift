import Yams

/// The keys of one post's front matter, looked up by name, each value cleaned of
/// characters XML forbids (YAML escapes such as "\x07" can produce them). A key with a
/// wrong type becomes a problem, not a stop, so one run lists everything to fix.
///
/// Not the config's `YAMLMapping`: that one must reject unknown keys, which front matter
/// must not (Hugo posts carry aliases, weight, …), and its linear lookups copying Yams
/// nodes cost about as much as parsing the YAML, times 10,000 posts per scan.
struct FrontMatterValues {
    let path: String
    private let lineOffset: Int
    private let values: [String: (node: Node, line: Int)]
    private(set) var problems: [SourceProblem] = []
    private var failedKeys: Set<String> = []

    /// `lineOffset`: the line of the opening `---`, so Yams' line 1 is the file's next line.
    init(_ node: Node, path: String, lineOffset: Int) throws(SourceProblem) {
        self.path = path
        self.lineOffset = lineOffset
        guard case .mapping(let mapping) = node else {
            throw SourceProblem(path: path, line: (node.mark?.line ?? 1) + lineOffset, message:
                "front matter must be a mapping of keys to values (title: …, date: …)")
        }
        var values: [String: (node: Node, line: Int)] = [:]
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            // Yams has already refused duplicate keys; non-string keys are no key Herald reads.
            guard let name = key.scalar?.string else { continue }
            values[name] = (value, (key.mark?.line ?? 1) + lineOffset)
        }
        self.values = values
    }

    func failed(_ key: String) -> Bool { failedKeys.contains(key) }

    /// The value node and its line; `key:` with nothing (or `~`, `null`) counts as absent.
    private func value(_ key: String) -> (node: Node, line: Int)? {
        guard let entry = values[key] else { return nil }
        if case .scalar(let s) = entry.node, s.style == .plain, s.string.isEmpty || s.string == "~" || s.string == "null" {
            return nil
        }
        return entry
    }

    mutating func text(_ key: String) -> (value: String, line: Int)? {
        guard let (node, line) = value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            let kind = if case .mapping = node { "mapping" } else { "list" }
            fail(key, line, "\"\(key)\" must be a string, not a \(kind)")
            return nil
        }
        return (XMLSafeText.clean(scalar.string), line)
    }

    /// A string or a list of strings; order kept, duplicates and blanks dropped.
    mutating func list(_ key: String) -> [String] {
        guard let (node, line) = value(key) else { return [] }
        let raw: [String]
        switch node {
        case .scalar(let s):
            raw = [s.string]
        case .sequence(let items):
            var strings: [String] = []
            for item in items {
                guard case .scalar(let s) = item else {
                    fail(key, item.mark.map { $0.line + lineOffset } ?? line,
                         "\"\(key)\" must list plain strings")
                    return []
                }
                strings.append(s.string)
            }
            raw = strings
        default:
            fail(key, line, "\"\(key)\" must be a string or a list of strings")
            return []
        }
        var seen: Set<String> = []
        return raw.map { Whitespace.collapsed(XMLSafeText.clean($0)) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    mutating func flag(_ key: String) -> Bool? {
        guard let (node, line) = value(key) else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(key, line, "\"\(key)\" must be true or false")
            return nil
        }
    }

    private mutating func fail(_ key: String, _ line: Int, _ message: String) {
        failedKeys.insert(key)
        problems.append(SourceProblem(path: path, line: line, message: message))
    }
}
