import Foundation
import HeraldConfig
import HeraldMail
import Logging

/// Diagnostics go to stderr, results to stdout, so scripts can pipe either.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The address an unsubscribe token was made for: 78 when no secret is configured
/// (nothing can be verified), 65 when the token is not this publication's.
func verifiedAddress(_ token: String, for publication: Publication) throws -> String {
    guard let address = try UnsubscribeToken.verify(token, for: publication) else {
        throw CommandFailure(.dataError, "token is not valid for \(publication.name): altered, truncated, or signed with another secret")
    }
    return address
}

/// Plain log lines on stderr: journald adds timestamps, and swift-log's stream
/// handler writes no colour codes.
func bootstrapLogging(label: String) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .info
        return handler
    }
    return Logger(label: label)
}
