#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation

/// A digest of everything a feed build reads, computed without loading a single post:
/// Herald's version and binary, the config's bytes, and the path, size and mtime of
/// every file under the posts folder. Equal fingerprints mean the feeds would come out
/// the same, so a no-change rebuild of 10,000 posts costs one directory walk.
enum BuildFingerprint {
    static func compute(publication: Publication, skipInvalid: Bool) -> String {
        // One transcript of bytes, hashed once: per-file Strings made a debug build's
        // no-change check of 10,000 posts take 0.2 s; bytes take a fraction of that.
        var transcript: [UInt8] = []
        transcript.reserveCapacity(1 << 20)
        func add(_ s: String) { transcript += s.utf8; transcript.append(0x0A) }

        add("herald \(HeraldGenerator.version)")
        // The binary too, so a rebuilt herald (same version string, new code) rebuilds.
        add("binary")
        var st = stat()
        if stat(Self.executablePath, &st) == 0 { appendStamp(st, to: &transcript) }
        add("skip-invalid \(skipInvalid)")
        add("config \(publication.configPath)")
        transcript += FileManager.default.contents(atPath: publication.configPath) ?? Data()
        add("posts \(publication.postsDirectory.path)")
        walk(Array(publication.postsDirectory.path.utf8), prefix: [], into: &transcript)
        return SHA256.hash(data: transcript).map { String(format: "%02x", $0) }.joined()
    }

    private static var executablePath: String {
        #if os(Linux)
        "/proc/self/exe"
        #else
        Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
    }

    /// Byte order of two names through memcmp (the generic comparison is slow unoptimized,
    /// and tests run the debug build).
    private static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let n = min(a.count, b.count)
        let c = n == 0 ? 0 : a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
        return c != 0 ? c < 0 : a.count < b.count
    }

    /// Size and mtime (to the nanosecond) as raw bytes.
    private static func appendStamp(_ st: stat, to transcript: inout [UInt8]) {
        for value in [Int64(st.st_size), Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec)] {
            withUnsafeBytes(of: value.littleEndian) { transcript += $0 }
        }
    }

    /// Every entry below `folder`: its relative path, then `/` for a folder (and its
    /// contents) or the file's stamp. Name order, since readdir's is the file system's.
    /// POSIX calls: Foundation's enumerator costs several times more per file.
    private static func walk(_ folder: [UInt8], prefix: [UInt8], into transcript: inout [UInt8]) {
        guard let dir = opendir(String(decoding: folder, as: UTF8.self)) else { return }
        var entries: [(name: [UInt8], st: stat?)] = []
        let fd = dirfd(dir)
        while let entry = readdir(dir) {
            var st = stat()
            // d_name straight from the dirent: no per-file allocation but the name's bytes.
            let (name, ok) = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { cName in
                    let bytes = UnsafeRawBufferPointer(start: cName, count: strlen(cName))
                    let dots = bytes.count <= 2 && bytes.allSatisfy { $0 == 0x2E }
                    return dots ? ([], false) : (Array(bytes), fstatat(fd, cName, &st, 0) == 0)
                }
            }
            if name.isEmpty { continue } // . and ..
            entries.append((name, ok ? st : nil))
        }
        closedir(dir)
        entries.sort { a, b in Self.precedes(a.name, b.name) }
        for (name, st) in entries {
            let relative = prefix + name
            transcript += relative
            if let st, (st.st_mode & S_IFMT) == S_IFDIR {
                transcript += [0x2F, 0x0A]
                walk(folder + [0x2F] + name, prefix: relative + [0x2F], into: &transcript)
            } else {
                transcript.append(0x20)
                if let st { appendStamp(st, to: &transcript) } else { transcript += Array("unreadable".utf8) }
                transcript.append(0x0A)
            }
        }
    }
}
