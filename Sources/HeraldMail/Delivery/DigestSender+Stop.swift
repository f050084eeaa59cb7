import HeraldBase

extension DigestSender {
    /// Why a run ended before every delivery was final.
    public enum Stop: ExitStatusError, Sendable {
        case smtp(SMTPReply.RunProblem, detail: String)
        /// `smtp.max_connection_failures` connections in a row failed before a transaction.
        case deadServer(url: String, failures: Int, detail: String)
        /// Every relay of `smtp.url` failed at least `failures` connections in a row.
        case deadRelays(urls: [String], failures: Int, detail: String)
        case render(String)
        case journal(String)
        /// SIGTERM or SIGINT: stopped cleanly, the rest stays pending.
        case interrupted

        /// Said with any URL's user name and password masked (`URLCredentials`): this line
        /// goes to the terminal, the journal and the alert mail.
        public var description: String { URLCredentials.redacted(plainDescription) }

        private var plainDescription: String {
            switch self {
            case .smtp(let problem, let detail):
                switch problem {
                case .authentication: "SMTP authentication failed: check smtp.username and the password (\(detail))"
                case .authenticationRequired:
                    "the SMTP server requires authentication before MAIL (\(detail)): set smtp.username and a password"
                case .tls: "TLS failed: \(detail) (is the server certificate trusted? smtp.ca_file adds a CA)"
                case .senderRefused: "the SMTP server refused the sender address (digest.from): \(detail)"
                case .outOfSequence:
                    "the SMTP server rejected MAIL as out of sequence (\(detail)): it expects another command first, such as STARTTLS or AUTH (smtp.starttls, smtp.username)"
                case .configuration: "libcurl refused the SMTP settings: \(detail)"
                }
            case .deadServer(let url, let failures, let detail):
                "gave up on the SMTP server \(url) after \(failures) failed connections in a row (last: \(detail)); every delivery not sent stays pending for the next run"
            case .deadRelays(let urls, let failures, let detail):
                "gave up on every SMTP relay (\(urls.joined(separator: ", "))) after \(failures) failed connections in a row on each (last: \(detail)); every delivery not sent stays pending for the next run"
            case .render(let detail): "cannot render a digest message: \(detail)"
            case .journal(let detail): "state database error: \(detail)"
            case .interrupted: "stopped by a signal; the deliveries not sent stay pending for the next run"
            }
        }

        /// The sysexits status a run that stopped for this reason ends with.
        public var exitStatus: ExitStatus {
            switch self {
            case .smtp(.tls, _), .smtp(.outOfSequence, _), .deadServer, .deadRelays: .unavailable
            case .smtp: .config
            case .render: .dataError
            case .journal: .ioError
            case .interrupted: .tempFail
            }
        }
    }
}
