import Foundation
import HeraldMail
import Logging

/// How a send shows its progress: a bar redrawn in place on a terminal, or a plain log line
/// every ten seconds for journald.
public enum SendProgress: Sendable {
    case bar
    case logLines

    func display(logger: Logger) -> (DigestSender) -> DigestSender.Report {
        switch self {
        case .bar:
            return { sender in
                let report = sender.run(tickInterval: 0.2) { progress in
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + progress.bar()).utf8))
                }
                FileHandle.standardError.write(Data("\n".utf8))
                return report
            }
        case .logLines:
            return { sender in
                var last = Date()
                let report = sender.run(tickInterval: 0.5) { progress in
                    if Date().timeIntervalSince(last) >= 10 {
                        logger.info("\(progress.line())")
                        last = Date()
                    }
                }
                logger.info("\(sender.progress.line())")
                return report
            }
        }
    }
}
