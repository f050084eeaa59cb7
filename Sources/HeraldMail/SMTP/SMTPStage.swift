/// The command a reply answers. A 5xx means different things at each stage:
/// a refused recipient fails one delivery, a refused sender or login stops the run.
enum SMTPStage: String, Sendable {
    case connect, greeting, startTLS, auth, mailFrom, rcptTo, data, body, quit, other

    init(command: UnsafeRawBufferPointer) {
        switch String(decoding: command, as: UTF8.self).uppercased() {
        case "EHLO", "HELO": self = .greeting
        case "STAR": self = .startTLS
        case "AUTH": self = .auth
        case "MAIL": self = .mailFrom
        case "RCPT": self = .rcptTo
        case "DATA": self = .data
        case "QUIT": self = .quit
        default: self = .other // AUTH continuation lines (base64) land here
        }
    }

    /// The command as an operator knows it, for messages such as "no reply to MAIL".
    var command: String {
        switch self {
        case .connect: "the greeting"
        case .greeting: "EHLO"
        case .startTLS: "STARTTLS"
        case .auth: "AUTH"
        case .mailFrom: "MAIL"
        case .rcptTo: "RCPT"
        case .data: "DATA"
        case .body: "the message"
        case .quit: "QUIT"
        case .other: "a command"
        }
    }
}
