import CPOSIX
import HeraldBase

#if canImport(Glibc)
    import Glibc
#endif

/// Gathers a writer's small flushes (libxml2's are 4–16 KB each) into 512 KB writes: a 75 MB feed takes
/// 150 system calls instead of thousands. Not larger: a build writes every feed at once, 39
/// files in a full-content build, and each one's buffer is resident (1 MB buffers were 39 MB of
/// the peak). Not smaller: 256 KB writes cost a full-content build of 50,000 posts more CPU
/// (BENCHMARKS.md, "Growth").
///
/// The full blocks go to the disk with direct I/O (`O_DIRECT`) where the file system
/// takes it, because filling the page cache with hundreds of MB of feeds costs more CPU
/// than writing them (BENCHMARKS.md, "Where the speed tricks came from"). Direct I/O needs block-aligned buffers, sizes and
/// offsets, which full blocks from an aligned buffer are; the last, partial block is written
/// through the page cache as before. Where direct I/O is refused (tmpfs, some network
/// file systems) everything goes through the page cache, and its writeback is started
/// as each block is written (`Writeback.start`) so the fsync at commit waits for little.
/// Either way the bytes are the same, and `AtomicFile.commit` fsyncs before it renames.
final class DescriptorSink: ByteSink {
    static let capacity = 1 << 19
    /// Direct I/O alignment: the largest logical block size in use (4 KB) covers 512 B ones.
    static let block = 4096
    let fd: Int32
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: block)
    private var count = 0
    /// Bytes written to `fd` so far; writes go to explicit offsets (`pwrite`).
    private var offset = 0
    private var direct: Bool

    init(_ fd: Int32) {
        self.fd = fd
        direct = Self.setDirect(fd, true)
    }

    deinit { buffer.deallocate() }

    override func append(_ bytes: UnsafeRawPointer, _ length: Int) -> Bool {
        var done = 0
        while done < length {
            let n = min(length - done, Self.capacity - count)
            buffer.advanced(by: count).copyMemory(from: bytes + done, byteCount: n)
            count += n
            done += n
            if count == Self.capacity, !flush() { return false }
        }
        return true
    }

    override func flush() -> Bool {
        defer { count = 0 }
        guard count > 0 else { return true }
        // The tail of the file is not a whole number of blocks.
        if direct, count % Self.block != 0 { stopDirect() }
        var written = 0
        while written < count {
            let n: Int
            do { n = try Syscall.call("pwrite") { pwrite(fd, buffer + written, count - written, off_t(offset + written)) } } catch {
                // The file system takes the flag but not this write: page cache from here on.
                if error.code == EINVAL, direct {
                    stopDirect()
                    continue
                }
                return false
            }
            written += n
            // A short direct write leaves the rest unaligned.
            if direct, written < count, written % Self.block != 0 { stopDirect() }
        }
        if !direct { Writeback.start(fd, offset: offset, count: count) }
        offset += count
        return true
    }

    private func stopDirect() {
        direct = false
        _ = Self.setDirect(fd, false)
    }

    /// O_DIRECT from <fcntl.h> (a GNU extension, so it comes from the C shim); nil where
    /// the platform has none, and then direct I/O is never used.
    private static let oDirect: Int32? = {
        let flag = CPOSIX_o_direct()
        return flag == 0 ? nil : flag
    }()

    /// Turns direct I/O on or off for `fd`; false when it is not (or cannot be) on.
    private static func setDirect(_ fd: Int32, _ on: Bool) -> Bool {
        guard let flag = oDirect else { return false }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { return false }
        return fcntl(fd, F_SETFL, on ? flags | flag : flags & ~flag) == 0 && on
    }
}
