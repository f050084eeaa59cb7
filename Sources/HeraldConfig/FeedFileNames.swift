/// The file names of a publication's feeds, in its output folder and in its URLs: the
/// feed writers write them, the digest links to them, `herald serve` serves them.
public enum FeedFileNames {
    public static let atom = "atom.xml"
    public static let rss = "rss.xml"
    public static let all = [atom, rss]
}
