/// sysexits(3) codes, so `systemctl status` and scripts can tell failures apart.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case usage = 64
    /// Bad content: invalid posts or config.
    case dataError = 65
    /// SMTP server unavailable.
    case unavailable = 69
    case software = 70
    case cantCreate = 73
    case ioError = 74
    /// Temporary failure or another run holds the lock; try again later.
    case tempFail = 75
    case config = 78
}
