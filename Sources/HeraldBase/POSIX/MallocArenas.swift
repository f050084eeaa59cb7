import CPOSIX

/// glibc gives each thread that allocates while others do an arena of its own, up to eight per
/// core, and an arena keeps what its thread freed. A feed build renders on every core and
/// writes on others: with sixteen arenas, memory freed by one chunk's threads was not reused
/// by the next's, and the peak of a 10,000-post full-content build was 167 MB where two
/// arenas per build give 149 (BENCHMARKS.md, "Growth"), at the same speed.
package enum MallocArenas {
    /// At most `count` arenas from now on (a count below one is taken as one); false where
    /// the C library has no such setting.
    @discardableResult
    package static func limit(to count: Int) -> Bool {
        CPOSIX_limit_malloc_arenas(Int32(max(count, 1))) == 1
    }
}
