/// The file names of a publication's feeds, in its output folder and in its URLs: the
/// feed writers write them, the digest links to them, `herald serve` serves them.
public enum FeedFileNames {
    public static let atom = "atom.xml"
    public static let rss = "rss.xml"
    /// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
    public static let json = "feed.json"
    public static let all = [atom, rss, json]
    /// The XSLT stylesheet that shows a feed as a page in a browser, in the output folder's root.
    public static let stylesheet = "feed.xsl"
}
