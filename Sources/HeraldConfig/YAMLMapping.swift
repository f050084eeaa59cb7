import Yams
import HeraldBase

/// A YAML mapping read strictly: every key must be consumed, so an unknown or
/// misspelt key is an error naming the key and its line instead of being ignored.
/// Used for the publication config and for post front matter.
struct YAMLMapping {
    let path: String
    /// Line offset added to Yams' lines (front matter starts after the `---` line).
    let lineOffset: Int
    private let pairs: [(key: String, keyLine: Int, value: Node)]
    private var used: Set<String> = []
    let line: Int

    init(_ node: Node, path: String, lineOffset: Int = 0, what: String = "the document") throws(SourceProblem) {
        self.path = path
        self.lineOffset = lineOffset
        self.line = (node.mark?.line ?? 1) + lineOffset
        guard case .mapping(let mapping) = node else {
            throw SourceProblem(path: path, line: line, message: "\(what) must be a mapping of keys to values")
        }
        var pairs: [(String, Int, Node)] = []
        var seen: Set<String> = []
        for (k, v) in mapping {
            let keyLine = (k.mark?.line ?? 1) + lineOffset
            guard let key = k.scalar?.string else {
                throw SourceProblem(path: path, line: keyLine, message: "keys must be plain strings")
            }
            guard seen.insert(key).inserted else {
                throw SourceProblem(path: path, line: keyLine, message: "key \"\(key)\" appears twice")
            }
            pairs.append((key, keyLine, v))
        }
        self.pairs = pairs
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// The raw node for `key`, marking it consumed.
    mutating func node(_ key: String) -> (node: Node, line: Int)? {
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        used.insert(key)
        if case .scalar(let s) = pair.value, s.tag == .implicit, s.string.isEmpty || s.string == "~" || s.string == "null" {
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
            throw problem(line, "\"\(key)\" must be a string")
        }
        return s.string
    }

    mutating func requiredString(_ key: String) throws(SourceProblem) -> String {
        guard let value = try string(key), !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw problem(line, "missing required key \"\(key)\"")
        }
        return value
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(SourceProblem) -> Int? {
        guard let (node, line) = node(key) else { return nil }
        guard let value = node.int else { throw problem(line, "\"\(key)\" must be a whole number") }
        guard range.contains(value) else {
            throw problem(line, "\"\(key)\" must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    mutating func bool(_ key: String) throws(SourceProblem) -> Bool? {
        guard let (node, line) = node(key) else { return nil }
        guard let value = node.bool else { throw problem(line, "\"\(key)\" must be true or false") }
        return value
    }

    /// One of a fixed set of words, e.g. `content: full | summary`.
    mutating func choice<T: RawRepresentable>(_ key: String, _: T.Type) throws(SourceProblem) -> T?
    where T.RawValue == String, T: CaseIterable {
        guard let (node, line) = node(key) else { return nil }
        guard let raw = node.scalar?.string, let value = T(rawValue: raw) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw problem(line, "\"\(key)\" must be one of: \(options)")
        }
        return value
    }

    /// A string or a list of strings (`tags: "a"` and `tags: [a, b]` both work).
    mutating func strings(_ key: String) throws(SourceProblem) -> [String] {
        guard let (node, line) = node(key) else { return [] }
        switch node {
        case .scalar(let s): return [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard let s = item.scalar?.string else {
                    throw problem(item.mark.map { $0.line + lineOffset } ?? line, "\"\(key)\" must list plain strings")
                }
                out.append(s)
            }
            return out
        default: throw problem(line, "\"\(key)\" must be a string or a list of strings")
        }
    }

    /// A nested mapping, read with the same strictness.
    mutating func mapping(_ key: String) throws(SourceProblem) -> YAMLMapping? {
        guard let (node, _) = node(key) else { return nil }
        return try YAMLMapping(node, path: path, lineOffset: lineOffset, what: "\"\(key)\"")
    }

    /// Call when every known key has been read: anything left is a typo or a key Herald does not know.
    func rejectUnknownKeys(known context: String) throws(SourceProblem) {
        if let extra = pairs.first(where: { !used.contains($0.key) }) {
            throw problem(extra.keyLine, "unknown key \"\(extra.key)\" in \(context)")
        }
    }
}
