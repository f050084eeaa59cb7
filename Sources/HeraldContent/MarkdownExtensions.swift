import CCmarkGFM
import Synchronization

/// The GFM extensions every Herald parser attaches, and the one lock that makes
/// cmark-gfm's parsing safe from several threads.
///
/// cmark-gfm keeps the characters that start inline syntax in one global table. A parse
/// adds its extensions' characters (`~`, `:`, `w`, …) when it starts inline parsing and
/// removes them when it ends (the table extension does the same around every row), so a
/// post finishing on one core switched strikethrough and autolinks off for a post still
/// parsing on the other: the same post came out with or without `<del>` from run to run
/// (upstream: github/cmark-gfm#176, open). The characters cannot simply stay in the
/// table: the extensions' own lists also say which extension owns a delimiter, and a
/// strikethrough without its list never closes. So parsing (feed and finish) takes this
/// lock; rendering HTML, rewriting URLs and everything after run on all cores.
/// `MarkdownConcurrencyTests` renders one post 2,000 times on all cores to hold this.
enum MarkdownExtensions {
    static let names = ["table", "strikethrough", "autolink"]
    /// What Hugo's Goldmark has on as well, for the pages of a Hugo site.
    private static let hugoNames = names + ["tasklist"]

    /// The extensions a parser of `dialect` attaches.
    static func attached(_ dialect: MarkdownDialect) -> [String] {
        switch dialect {
        case .commonMark: names
        case .hugo: hugoNames
        }
    }

    /// Registration mutates a global list, so it runs exactly once (a static let is
    /// initialized once even when the first calls come from two threads).
    private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()
    private static let parsing = Mutex(())

    /// Runs `parse` (which must create, feed and finish a parser) with no other parse
    /// running in the process.
    static func exclusively<R>(_ parse: () -> R) -> R {
        _ = registered
        return parsing.withLock { _ in parse() }
    }
}
