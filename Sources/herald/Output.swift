import Foundation
import Logging

/// Diagnostics go to stderr, results to stdout, so scripts can pipe either.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
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
