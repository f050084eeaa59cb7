/// sysexits(3) codes, so `systemctl status` and scripts can tell failures apart.
/// README's table lists them; every command uses these and no others.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// The command line is wrong.
    case usage = 64
    /// Bad content: invalid posts, subscriber files or tokens.
    case dataError = 65
    /// A host name (a feed's) does not resolve.
    case noHost = 68
    /// A server Herald needs (SMTP) is unavailable.
    case unavailable = 69
    /// A bug in Herald: an error nobody gave a status to.
    case software = 70
    /// An output file or folder cannot be created.
    case cantCreate = 73
    /// Reading or writing a file or the state database failed.
    case ioError = 74
    /// Temporary failure or another run holds the lock; try again later.
    case tempFail = 75
    /// A server broke the protocol: TLS failed, or redirects went in circles.
    case protocolError = 76
    /// herald.yml, templates, secrets or SMTP settings are wrong.
    case config = 78
}

/// An error that knows its exit status, so the CLI maps every error in one place
/// (as Hummingbird's `HTTPResponseError` states its own HTTP status).
public protocol ExitStatusError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}
