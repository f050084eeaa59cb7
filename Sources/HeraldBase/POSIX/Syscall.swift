#if canImport(Glibc)
    import Glibc
#endif

/// A system call that failed: which one, and errno with its text.
package struct SystemError: Error, Sendable, CustomStringConvertible {
    package let call: String
    package let code: Int32

    package var reason: String { String(cString: strerror(code)) }
    package var description: String { "\(call): \(reason)" }
}

/// The one way Herald makes a system call that may be interrupted: retried on EINTR,
/// and a failure (-1) turned into a `SystemError` instead of a number and a global.
package enum Syscall {
    @discardableResult
    package static func call<T: SignedInteger>(_ name: String, _ body: () -> T) throws(SystemError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code != EINTR { throw SystemError(call: name, code: code) }
        }
    }

    /// `write(2)`/`pwrite(2)` until every byte is out (they may write less).
    package static func writeAll(_ name: String, count: Int, _ write: (_ done: Int) -> Int) throws(SystemError) {
        var done = 0
        while done < count {
            done += try call(name) { write(done) }
        }
    }
}

/// An exclusive `flock(2)` on a file, held until the value goes away. The kernel drops it
/// when the process dies (even on `kill -9`), so a crash never leaves a stale lock behind.
package final class FileLock {
    package enum Failure: Error, Sendable {
        case held
        case cannotOpen(SystemError)
    }

    private let fd: Int32

    package init(path: String) throws(Failure) {
        do {
            fd = try Syscall.call("open \(path)") { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        } catch {
            throw .cannotOpen(error)
        }
        do { try Syscall.call("flock") { flock(fd, LOCK_EX | LOCK_NB) } } catch {
            close(fd)
            throw .held
        }
    }

    deinit { close(fd) } // closing releases the lock
}
