import Yams
import HeraldBase

/// Turns a Yams error into a `path:line: message` problem.
package enum YAMLErrors {
    package static func problem(_ error: any Error, path: String, lineOffset: Int = 0) -> SourceProblem {
        guard let yaml = error as? YamlError else {
            return SourceProblem(path: path, message: "invalid YAML: \(error)")
        }
        switch yaml {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return SourceProblem(path: path, line: mark.line + lineOffset, message: "invalid YAML: \(problem)")
        case .reader(let problem, _, _, _):
            return SourceProblem(path: path, message: "invalid YAML: \(problem)")
        default:
            return SourceProblem(path: path, message: "invalid YAML: \(yaml)")
        }
    }
}
