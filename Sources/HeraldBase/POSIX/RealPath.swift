#if canImport(Glibc)
    import Glibc
#endif

/// Where a path really is: every symbolic link on the way followed, `.` and `..` gone.
package enum RealPath {
    /// `realpath(3)`: nil when something on the way does not exist or cannot be read.
    package static func of(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The real path of the deepest part of an absolute path that exists, with the rest
    /// appended as written: where a folder not made yet will be.
    package static func asFarAsExists(_ path: String) -> String {
        var head = path
        var tail: [Substring] = []
        while true {
            if let real = of(head.isEmpty ? "/" : head) {
                return ([real == "/" ? "" : real] + tail.reversed().map(String.init)).joined(separator: "/")
            }
            guard let slash = head.lastIndex(of: "/") else { return path }
            tail.append(head[head.index(after: slash)...])
            head = String(head[..<slash])
        }
    }

    /// Whether `path` is `folder` or inside it (both real paths).
    package static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder + "/")
    }
}
