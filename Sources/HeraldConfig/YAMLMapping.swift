import Foundation
import HeraldBase
import Yams

/// A YAML mapping read strictly: every key must be consumed, so an unknown or
/// misspelt key is reported with its line instead of being ignored. Each problem
/// names the line of the key it is about.
struct YAMLMapping {
    let path: String
    /// Line of the mapping itself (its first key), for keys that are missing.
    let line: Int
    /// Dotted prefix of the keys, `digest.` for the digest section, for messages.
    let prefix: String
    private let pairs: [(key: String, keyLine: Int, value: Node)]
    /// Every key a reader asked for, present or not: what a misspelt key is compared with.
    private var asked: [String] = []

    init(_ node: Node, path: String, prefix: String = "", what: String = "the document") throws(SourceProblem) {
        self.path = path
        self.prefix = prefix
        self.line = node.mark?.line ?? 1
        guard case .mapping(let mapping) = node else {
            throw SourceProblem(path: path, line: line, message: "\(what) must be a mapping of keys to values")
        }
        var pairs: [(String, Int, Node)] = []
        for (k, v) in mapping {
            let keyLine = k.mark?.line ?? line
            guard let key = k.scalar?.string else {
                throw SourceProblem(path: path, line: keyLine, message: "keys must be plain strings")
            }
            pairs.append((key, keyLine, v))
        }
        self.pairs = pairs
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// The line of `key`, or of the mapping when the key is absent.
    func line(of key: String) -> Int { pairs.first { $0.key == key }?.keyLine ?? line }

    /// The raw node for `key`, marking it known.
    mutating func node(_ key: String) -> (node: Node, line: Int)? {
        asked.append(key)
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        // The tag is compared by name: `Tag.implicit` would build Yams' default resolver.
        if case .scalar(let s) = pair.value, s.tag.description == Tag.Name.implicit.rawValue,
            s.string.isEmpty || s.string == "~" || s.string == "null"
        {
            return nil // `key:` with no value counts as absent
        }
        return (pair.value, pair.keyLine)
    }

    func problem(_ line: Int, _ message: String) -> SourceProblem {
        SourceProblem(path: path, line: line, message: message)
    }

    mutating func string(_ key: String) throws(SourceProblem) -> String? {
        guard let (node, line) = node(key) else { return nil }
        guard case .scalar(let s) = node else {
            throw problem(line, "\"\(prefix)\(key)\" must be a string")
        }
        return s.string
    }

    /// One string, or a list of strings, each with its own line: a key such as `smtp.url`
    /// that takes one value or several. Nil when the key is absent; an empty list is empty.
    mutating func stringOrList(_ key: String) throws(SourceProblem) -> (entries: [(text: String, line: Int)], isList: Bool)? {
        guard let (node, line) = node(key) else { return nil }
        switch node {
        case .scalar(let s): return ([(s.string, line)], false)
        case .sequence(let items):
            var entries: [(text: String, line: Int)] = []
            for (index, item) in items.enumerated() {
                let itemLine = item.mark?.line ?? line
                guard case .scalar(let s) = item else {
                    throw problem(itemLine, "\"\(prefix)\(key)\" entry \(index + 1) must be a string")
                }
                entries.append((s.string, itemLine))
            }
            return (entries, true)
        default: throw problem(line, "\"\(prefix)\(key)\" must be a string or a list of strings")
        }
    }

    mutating func requiredString(_ key: String) throws(SourceProblem) -> String {
        guard let value = try string(key), !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw problem(line(of: key), "missing required key \"\(prefix)\(key)\"")
        }
        return value
    }

    /// A string turned into a typed value by `parse`, whose error text is reported at the key's line.
    mutating func value<T>(_ key: String, _ parse: (String) throws(ConfigValueError) -> T) throws(SourceProblem) -> T? {
        guard let text = try string(key) else { return nil }
        do { return try parse(text) } catch { throw problem(line(of: key), "\(prefix)\(key): \(error.message)") }
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(SourceProblem) -> Int? {
        guard let (node, line) = node(key) else { return nil }
        guard let value = node.int else { throw problem(line, "\"\(prefix)\(key)\" must be a whole number") }
        guard range.contains(value) else {
            throw problem(line, "\"\(prefix)\(key)\" must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    mutating func bool(_ key: String) throws(SourceProblem) -> Bool? {
        guard let (node, line) = node(key) else { return nil }
        guard let value = node.bool else { throw problem(line, "\"\(prefix)\(key)\" must be true or false") }
        return value
    }

    /// One of a fixed set of words, e.g. `content: full | summary`.
    mutating func choice<T: RawRepresentable>(_ key: String, _: T.Type) throws(SourceProblem) -> T?
    where T.RawValue == String, T: CaseIterable {
        guard let (node, line) = node(key) else { return nil }
        guard let raw = node.scalar?.string, let value = T(rawValue: raw) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw problem(line, "\"\(prefix)\(key)\" must be one of: \(options)")
        }
        return value
    }

    /// A nested mapping, read with the same strictness.
    mutating func mapping(_ key: String) throws(SourceProblem) -> YAMLMapping? {
        guard let (node, _) = node(key) else { return nil }
        return try YAMLMapping(node, path: path, prefix: prefix + key + ".", what: "\"\(prefix)\(key)\"")
    }

    /// Keys no reader asked for: typos, or keys Herald does not know. A near miss of a
    /// known key is named (`titel` → `title`).
    func unknownKeys() -> [SourceProblem] {
        pairs.filter { !asked.contains($0.key) }.map { pair in
            let known = Set(asked).sorted()
            var message = "unknown key \"\(prefix)\(pair.key)\""
            if let near = known.min(by: { Self.distance(pair.key, $0) < Self.distance(pair.key, $1) }),
                Self.distance(pair.key, near) <= max(2, near.count / 3)
            {
                message += ": did you mean \"\(prefix)\(near)\"?"
            } else if !known.isEmpty {
                message += " (known here: \(known.joined(separator: ", ")))"
            }
            return problem(pair.keyLine, message)
        }
    }

    /// Levenshtein distance, for the suggestion above (keys are short).
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

/// Why a setting's text is not a usable value; `YAMLMapping.value` adds the key and line.
struct ConfigValueError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
