#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Diagnostics go to stderr, results to stdout, so scripts can pipe either.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
