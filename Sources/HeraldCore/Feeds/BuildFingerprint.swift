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
        var hasher = SHA256()
        func add(_ s: String) { hasher.update(data: Data((s + "\n").utf8)) }

        add("herald \(HeraldGenerator.version)")
        // The binary too, so a rebuilt herald (same version string, new code) rebuilds.
        add("binary \(stamp(Self.executablePath) ?? "?")")
        add("skip-invalid \(skipInvalid)")
        add("config \(publication.configPath)")
        hasher.update(data: FileManager.default.contents(atPath: publication.configPath) ?? Data())
        add("posts \(publication.postsDirectory.path)")
        walk(publication.postsDirectory.path, prefix: "") { relative, stamp in add("\(relative) \(stamp)") }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private static var executablePath: String {
        #if os(Linux)
        "/proc/self/exe"
        #else
        Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
    }

    /// `size mtime` (nanoseconds), or nil when the file cannot be stat'ed.
    private static func stamp(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// Every file below `folder`, in name order (readdir's order is the file system's),
    /// through POSIX calls: Foundation's enumerator costs several times more per file.
    private static func walk(_ folder: String, prefix: String, _ visit: (String, String) -> Void) {
        guard let dir = opendir(folder) else { return }
        var names: [(name: String, isDir: Bool, stamp: String)] = []
        let fd = dirfd(dir)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            guard fstatat(fd, name, &st, 0) == 0 else {
                names.append((name, false, "unreadable"))
                continue
            }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            names.append((name, isDir, "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"))
        }
        closedir(dir)
        for item in names.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            let relative = prefix + item.name
            if item.isDir {
                visit(relative + "/", "dir")
                walk(folder + "/" + item.name, prefix: relative + "/", visit)
            } else {
                visit(relative, item.stamp)
            }
        }
    }
}
