import Foundation
import HeraldBase
import HeraldConfig

/// What, besides the posts, decides what Herald makes of a publication: this herald (its
/// version and the binary itself, since a rebuilt one with the same version may read posts
/// differently), herald.yml's bytes and the Hugo site's config. The build's fingerprint and
/// the scan cache's key both start from it, so neither can miss an input the other has.
package enum PublicationInputs {
    /// Appends those inputs to `transcript`, each named and ended by `separator`.
    package static func append(_ publication: Publication, to transcript: inout [UInt8], separator: UInt8) {
        func add(_ s: String) {
            transcript += s.utf8
            transcript.append(separator)
        }
        add("herald \(HeraldVersion.current)")
        add("binary")
        FileStamp.of(executablePath).append(to: &transcript)
        add("config \(publication.configPath)")
        transcript += FileManager.default.contents(atPath: publication.configPath) ?? Data()
        for file in publication.hugo?.configFiles ?? [] {
            add("site config \(file)")
            transcript += FileManager.default.contents(atPath: file) ?? Data()
        }
    }

    private static var executablePath: String {
        #if os(Linux)
            "/proc/self/exe"
        #else
            Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
    }
}

extension FileStamp {
    /// Size, mtime and ctime (to the nanosecond) and inode as raw bytes, or a word for a file stat refused.
    package func append(to transcript: inout [UInt8]) {
        guard readable else {
            transcript += "unreadable".utf8
            return
        }
        withUnsafeBytes(of: size.littleEndian) { transcript += $0 }
        withUnsafeBytes(of: seconds.littleEndian) { transcript += $0 }
        withUnsafeBytes(of: nanoseconds.littleEndian) { transcript += $0 }
        // The change time and inode too: a file put back with its old size and mtime
        // (`cp -p`, rsync, `touch -d`) still gets a new change time.
        withUnsafeBytes(of: changeSeconds.littleEndian) { transcript += $0 }
        withUnsafeBytes(of: changeNanoseconds.littleEndian) { transcript += $0 }
        withUnsafeBytes(of: inode.littleEndian) { transcript += $0 }
    }
}
