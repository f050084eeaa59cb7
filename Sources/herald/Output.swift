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

/// The address an unsubscribe token was made for, or exit: 78 when no secret is
/// configured (nothing can be verified), 65 when the token is not this publication's.
func verifiedAddressOrExit(_ token: String, for publication: Publication) throws -> String {
    let address: String?
    do { address = try UnsubscribeToken.verify(token, for: publication) } catch {
        printError(error.description)
        throw ExitCode(ExitStatus.config.rawValue)
    }
    guard let address else {
        printError("token is not valid for \(publication.name): altered, truncated, or signed with another secret")
        throw ExitCode(ExitStatus.dataError.rawValue)
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
