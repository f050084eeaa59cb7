import HeraldBase

/// Why `herald init` wrote nothing.
public enum PublicationTemplateFailure: ExitStatusError {
    case site(SourceProblem)
    case exists(String)
    case cannotWrite(String, String)
    case badValue(String)

    public var description: String {
        switch self {
        case .site(let problem): problem.description
        case .exists(let path): "\(path) already exists: remove it first, or write to another folder"
        case .cannotWrite(let path, let why): "\(path): cannot write: \(why)"
        case .badValue(let message): message
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .site, .badValue: .usage
        case .exists, .cannotWrite: .cantCreate
        }
    }
}
