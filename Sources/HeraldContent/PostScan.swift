import FoundationEssentials
import HeraldBase

/// What `PostLoader.scan()` found: the front matter of every good post, and every problem.
public struct PostScan: Sendable {
    /// Newest first; equal dates by source path, so runs are deterministic.
    public let metas: [PostMeta]
    /// Sorted by path, then line.
    public let problems: [SourceProblem]
    /// Pages left out without refusing anything (a Hugo page with no date, which Hugo
    /// publishes with a zero date), each saying what to add: shown, never an exit status.
    public let notes: [SourceProblem]
    /// Every post file's stamp as it was read, in file order; nil from a source that
    /// reads no files (the builder then takes the stamps itself).
    public let stamps: [FileStamp]?
    /// The posts folder (or Hugo section) is not there at all: a build must not take
    /// that for "no posts" unless told to (`--allow-shrink`).
    public let missingFolder: Bool
    /// The folders below the posts folder that are Hugo sections (hold an `_index`), as the
    /// scan found them with `stamps`; they shape `:sections` permalinks.
    public let sections: [String]?
    /// The scan cache being written (`PostLoader.writesCacheInBackground`) on a thread of
    /// its own, so that on a first build encoding and writing 10,000 entries overlaps planning,
    /// rendering and the commit's fsyncs: wait for it before the process exits. A write cut
    /// short by an exit leaves only a temporary file, never renamed into place.
    package var cacheWrite: Background<Void>?

    public init(
        metas: [PostMeta], problems: [SourceProblem], notes: [SourceProblem] = [], stamps: [FileStamp]? = nil,
        sections: [String]? = nil, missingFolder: Bool = false
    ) {
        self.stamps = stamps
        self.sections = sections
        self.missingFolder = missingFolder
        // Sorted as (date, index) keys, then gathered once: sorting the metas themselves
        // moves their dozen fields at every step. Sources are unique, so the order is total
        // and the same as sorting the metas directly.
        let keys = metas.indices.map { (date: metas[$0].date.timeIntervalSinceReferenceDate, index: $0) }
            .sorted { a, b in
                a.date != b.date ? a.date > b.date : metas[a.index].source < metas[b.index].source
            }
        self.metas = keys.map { metas[$0.index] }
        self.problems = problems.sortedByLocation()
        self.notes = notes.sortedByLocation()
    }
}
