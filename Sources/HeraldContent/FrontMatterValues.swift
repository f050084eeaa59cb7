import HeraldBase
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
    private let values: [String: Entry]
    private(set) var problems: [SourceProblem] = []
    private var failedKeys: Set<String> = []

    /// One key's value, in the few shapes Herald reads; what Yams gives and what the fast
    /// path (`SimpleFrontMatter`) gives meet here, so the readers below see no difference.
    enum Value: Equatable {
        /// `plain`: unquoted, so that empty, `~` and `null` mean "no value".
        case scalar(String, plain: Bool)
        /// A list whose items are all scalars.
        case strings([String])
        /// Anything else Yams may return (mappings, lists holding lists, aliases).
        case node(Node)
    }

    struct Entry: Equatable {
        let value: Value
        /// Line in the file.
        let line: Int
    }

    /// `lineOffset`: the line of the opening `---`, so Yams' line 1 is the file's next line.
    init(_ node: Node, path: String, lineOffset: Int) throws(SourceProblem) {
        guard case .mapping = node else {
            throw SourceProblem(
                path: path, line: (node.mark?.line ?? 1) + lineOffset,
                message:
                    "front matter must be a mapping of keys to values (title: …, date: …)")
        }
        self.init(entries: Self.entries(node, lineOffset: lineOffset), path: path, lineOffset: lineOffset)
    }

    /// Values already read (by `SimpleFrontMatter`), lines counted from the top of the file.
    init(entries: [String: Entry], path: String, lineOffset: Int) {
        self.path = path
        self.lineOffset = lineOffset
        // Hugo reads front matter keys case-insensitively (`publishDate` is `publishdate`).
        // Nearly every key is lower-case already: only then is nothing copied.
        if entries.keys.contains(where: { $0.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } }) {
            var lowered: [String: Entry] = [:]
            for (key, entry) in entries {
                let low = key.lowercased()
                // A key written twice in two cases: the lower-case one, as written, wins.
                if key == low || lowered[low] == nil { lowered[low] = entry }
            }
            self.values = lowered
        } else {
            self.values = entries
        }
    }

    /// A Yams mapping's keys and values as `Entry`s; empty for any other node.
    static func entries(_ node: Node, lineOffset: Int) -> [String: Entry] {
        guard case .mapping(let mapping) = node else { return [:] }
        var values: [String: Entry] = [:]
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            // Yams has already refused duplicate keys; non-string keys are no key Herald reads.
            guard let name = key.scalar?.string else { continue }
            values[name] = Entry(value: Value(value), line: (key.mark?.line ?? 1) + lineOffset)
        }
        return values
    }

    func failed(_ key: String) -> Bool { failedKeys.contains(key) }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// A value inside a mapping key (`build` → `list`), as a lower-cased string.
    func nested(_ key: String, _ inner: String) -> String? {
        guard case .node(.mapping(let mapping))? = values[key]?.value else { return nil }
        for (k, v) in mapping where k.scalar?.string.lowercased() == inner {
            return v.scalar?.string.lowercased()
        }
        return nil
    }

    /// The value and its line; `key:` with nothing (or `~`, `null`) counts as absent.
    private func value(_ key: String) -> (value: Value, line: Int)? {
        guard let entry = values[key] else { return nil }
        if case .scalar(let s, plain: true) = entry.value, s.isEmpty || s == "~" || s == "null" {
            return nil
        }
        return (entry.value, entry.line)
    }

    mutating func text(_ key: String) -> (value: String, line: Int)? {
        guard let (value, line) = value(key) else { return nil }
        guard case .scalar(let string, _) = value else {
            let kind = if case .node(.mapping) = value { "mapping" } else { "list" }
            fail(key, line, "\"\(key)\" must be a string, not a \(kind)")
            return nil
        }
        return (XMLSafeText.clean(string), line)
    }

    /// A string or a list of strings; order kept, duplicates and blanks dropped.
    mutating func list(_ key: String) -> [String] {
        guard let (value, line) = value(key) else { return [] }
        let raw: [String]
        switch value {
        case .scalar(let s, _):
            raw = [s]
        case .strings(let strings):
            raw = strings
        case .node(.sequence(let items)):
            // Some item is not a scalar (see `Value.init`): the first such is the problem.
            for item in items {
                guard case .scalar = item else {
                    fail(
                        key, item.mark.map { $0.line + lineOffset } ?? line,
                        "\"\(key)\" must list plain strings")
                    return []
                }
            }
            return []
        case .node:
            fail(key, line, "\"\(key)\" must be a string or a list of strings")
            return []
        }
        let cleaned = raw.map { Whitespace.collapsed(XMLSafeText.clean($0)) }.filter { !$0.isEmpty }
        // Lists hold a tag or three: a linear check costs less than hashing into a set,
        // which takes over for long lists (front matter may hold thousands).
        guard cleaned.count > 8 else {
            var kept: [String] = []
            for item in cleaned where !kept.contains(item) { kept.append(item) }
            return kept
        }
        var seen: Set<String> = []
        return cleaned.filter { seen.insert($0).inserted }
    }

    mutating func flag(_ key: String) -> Bool? {
        guard let (value, line) = value(key) else { return nil }
        let string: String? = if case .scalar(let s, _) = value { s } else { nil }
        switch string?.lowercased() {
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

extension FrontMatterValues.Value {
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            self = .scalar(scalar.string, plain: scalar.style == .plain)
        case .sequence(let items):
            var strings: [String] = []
            strings.reserveCapacity(items.count)
            for item in items {
                guard case .scalar(let s) = item else {
                    self = .node(node)
                    return
                }
                strings.append(s.string)
            }
            self = .strings(strings)
        default:
            self = .node(node)
        }
    }
}
