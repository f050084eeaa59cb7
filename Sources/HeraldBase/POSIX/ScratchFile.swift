#if canImport(Glibc)
    import Glibc
#endif

/// A file whose loss in a power cut costs nothing (a digest preview, a dry run's Maildir,
/// the scan cache, whose checksums catch a torn file):
/// written beside its place and renamed into it, so a reader never sees half of it, but
/// not synced to disk. Foundation's `Data.write` syncs every file it writes, which was a
/// noticeable part of `herald digest`'s time on a busy disk; a preview lost to a power
/// cut is made again by running the command again. A symlink where the temporary file goes
/// is refused, not followed.
package enum ScratchFile {
    package static func write(_ bytes: [UInt8], to path: String, through temporary: String) throws(SystemError) {
        let fd = try Syscall.call("open \(temporary)") {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        var failure: SystemError? = nil
        bytes.withUnsafeBytes { buffer in
            do throws(SystemError) {
                try Syscall.writeAll("write \(temporary)", count: buffer.count) { done in
                    Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                }
            } catch { failure = error }
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        do { try Syscall.call("rename \(temporary)") { rename(temporary, path) } } catch {
            unlink(temporary)
            throw error
        }
    }
}
