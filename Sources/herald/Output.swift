#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Logging
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFeeds
import HeraldState
import HeraldMail
import HeraldUseCases

/// Diagnostics go to stderr, results to stdout, so scripts can pipe either.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The publication config, or exit 65 with the problem as path:line: message.
func publicationOrExit(_ path: String) throws -> Publication {
    do { return try Publication.load(from: path) } catch {
        printError(error.description)
        throw ExitCode(ExitStatus.dataError.rawValue)
    }
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
