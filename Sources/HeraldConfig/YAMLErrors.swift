import HeraldBase
import Yams

/// Turns a Yams error into a `path:line: message` problem. Yams' own descriptions quote
/// the whole document, secrets included, so only the problem and its line are kept.
package enum YAMLErrors {
    package static func problem(_ error: any Error, path: String, text: String, lineOffset: Int = 0) -> SourceProblem {
        guard let yaml = error as? YamlError else {
            return SourceProblem(path: path, message: "invalid YAML")
        }
        switch yaml {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return SourceProblem(path: path, line: mark.line + lineOffset, message: "invalid YAML: \(problem)")
        case .reader(let problem, _, _, _):
            return SourceProblem(path: path, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let line = secondLine(of: key, in: text).map { $0 + lineOffset } ?? context.mark.line + lineOffset
            return SourceProblem(path: path, line: line, message: "key \"\(key)\" appears more than once: keep one")
        default:
            return SourceProblem(path: path, message: "invalid YAML")
        }
    }

    /// The line of the second `key:` at the indentation of the first: where the repeat is.
    private static func secondLine(of key: String, in text: String) -> Int? {
        var indent: Int?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let body = line.drop(while: { $0 == " " })
            let plain = body.hasPrefix(key + ":")
            let quoted = body.hasPrefix("\"\(key)\":") || body.hasPrefix("'\(key)':")
            guard plain || quoted else { continue }
            let depth = line.count - body.count
            if let first = indent { if depth == first { return number + 1 } } else { indent = depth }
        }
        return nil
    }
}
