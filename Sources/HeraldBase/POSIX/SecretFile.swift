#if canImport(Glibc)
    import Glibc
#endif

/// Reading a file that holds a secret (the unsubscribe secret, the SMTP password, the DKIM
/// key). Whoever can change the file can sign unsubscribe links and forms, or send as the
/// publication, so a file that is a symbolic link (it can be pointed at another file later)
/// or that every user may write is refused with what to fix, not read.
package enum SecretFile {
    /// Far above any key or password; a larger file is a wrong path, not a secret.
    package static let limit = 64 << 10

    /// Why the file was not read, said so that the operator can fix it.
    package struct Problem: Error, Sendable, CustomStringConvertible {
        package let path: String
        package let reason: String
        package var description: String { "\(path): \(reason)" }
    }

    /// The file's bytes, when it is a regular file that only its owner (or group) may write.
    package static func contents(of path: String) throws(Problem) -> [UInt8] {
        let fd: Int32
        do { fd = try Syscall.call("open") { open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) } } catch {
            if error.code == ELOOP {
                throw Problem(
                    path: path,
                    reason: "is a symbolic link; a secret is read only from the file itself "
                        + "(copy the target there, owned by the service's user, mode 0600)")
            }
            throw Problem(path: path, reason: "cannot be read (\(error.reason))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Problem(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Problem(path: path, reason: "is not a regular file; a secret is read from a file of its own")
        }
        guard info.st_mode & S_IWOTH == 0 else {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw Problem(
                path: path,
                reason: "can be written by every user (mode 0\(mode)), so anyone could replace the secret: "
                    + "`chmod 0600 \(path)` and check that it still holds yours")
        }
        do { return try BoundedRead.contents(descriptor: fd, limit: limit, name: path) } catch {
            throw Problem(path: path, reason: "cannot be read (\(error))")
        }
    }

    /// The file's text (UTF-8).
    package static func text(of path: String) throws(Problem) -> String {
        let bytes = try contents(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Problem(path: path, reason: "is not UTF-8 text")
        }
        return text
    }
}
