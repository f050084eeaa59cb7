import HeraldBase
import HeraldState

/// Everything that can stop a digest from being rendered, each case saying
/// where the problem is and what to do about it.
public enum DigestError: ExitStatusError, Sendable, Hashable {
    /// A template that does not parse: `templates/digest.html.mustache:12: …`.
    case template(path: String, line: Int?, message: String)
    /// No folder with the default templates was found; `tried` lists where we looked.
    case templatesNotFound(tried: [String])
    /// A required template (e.g. `digest.html.mustache`) is missing from every templates folder.
    case missingTemplate(name: String, searched: [String])
    /// An address that cannot go into a header (CR/LF, angle brackets, no `@`).
    case invalidAddress(String, role: String, reason: String = "not a plain local@domain address")
    /// Sending needs a usable secret to sign unsubscribe links.
    case unsubscribeSecret(UnsubscribeSecret.Problem)
    /// Sending needs a From address.
    case missingFrom
    /// A digest setting in herald.yml has an unusable value; the message says which and why.
    case badSetting(String)
    /// A preview file or folder could not be written.
    case output(path: String, reason: String)
    /// Nothing to send: a digest with no posts is not produced.
    case noPosts

    public var description: String {
        switch self {
        case .template(let path, let line, let message):
            if let line { return "\(path):\(line): \(message)" }
            return "\(path): \(message)"
        case .templatesNotFound(let tried):
            return "cannot find the digest templates; looked in: \(tried.joined(separator: ", ")) "
                + "(pass --templates DIR or set HERALD_TEMPLATES)"
        case .missingTemplate(let name, let searched):
            return "template \(name).mustache not found in \(searched.joined(separator: " or "))"
        case .invalidAddress(let address, let role, let reason):
            return "\(role) address \(address.debugDescription) cannot be used: \(reason)"
        case .unsubscribeSecret(let problem):
            return problem.description
        case .missingFrom:
            return "digest.from is not set in herald.yml: sending needs a From address"
        case .badSetting(let message):
            return message
        case .output(let path, let reason):
            return "\(path): \(reason)"
        case .noPosts:
            return "no posts for this digest"
        }
    }

    /// Templates, secrets and digest settings are configuration; a preview that cannot be
    /// written is an output failure; an address typed on the command line is usage.
    public var exitStatus: ExitStatus {
        switch self {
        case .output: .cantCreate
        case .invalidAddress(_, let role, _) where role.hasPrefix("--"): .usage
        case .noPosts: .dataError
        case .template, .templatesNotFound, .missingTemplate, .invalidAddress, .unsubscribeSecret, .missingFrom,
            .badSetting:
            .config
        }
    }
}
