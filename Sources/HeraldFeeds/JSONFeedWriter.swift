import FoundationEssentials
import HeraldBase
import HeraldConfig

/// Writes one JSON Feed 1.1 document: `begin()`, `entry(_:)` per post, newest first,
/// `finish()`. The document's other keys are encoded once, around an empty `items`
/// array; the items, encoded once per post, are copied in between, so a feed of 10,000
/// posts is streamed to its file like the Atom and RSS ones and never held whole.
final class JSONFeedWriter {
    private let sink: DescriptorSink
    private let path: String
    private let plan: FeedPlan
    private let context: FeedContext
    /// What follows the items: `]` and the keys sorted after `items`.
    private var tail: [UInt8] = []
    private var count = 0
    private var failed = false

    /// `path` is only for error messages; the caller owns (and closes) `fileDescriptor`.
    init(fileDescriptor: Int32, path: String, plan: FeedPlan, context: FeedContext) {
        sink = DescriptorSink(fileDescriptor)
        self.path = path
        self.plan = plan
        self.context = context
    }

    func begin() {
        let pub = context.publication
        let document = JSONFeed(
            title: Whitespace.collapsed(plan.title), homePageURL: plan.url.absoluteString,
            feedURL: plan.fileURL(plan.files.json ?? SiteLayout.Name.json).absoluteString,
            description: pub.description.isEmpty ? nil : pub.description,
            language: pub.language, authors: [JSONFeedAuthor(pub.author)],
            hubs: pub.feeds.websubHub.map { [JSONFeedHub(url: $0)] })
        let bytes = (try? [UInt8](JSONFeed.encoder().encode(document))) ?? []
        let marker = Array(#""items":["#.utf8)
        guard let at = bytes.firstRange(of: marker) else {
            failed = true
            return
        }
        append(Array(bytes[..<at.upperBound]))
        tail = Array(bytes[at.upperBound...]) + [0x0A]
    }

    /// The post's item, made once for all feeds (see `FeedEntryXML`).
    func entry(_ entry: FeedEntryXML) {
        if count > 0 { append([UInt8(ascii: ",")]) }
        append(entry.json)
        count += 1
    }

    func finish() throws(FileError) {
        append(tail)
        if !sink.flush() { failed = true }
        if failed {
            throw FileError(path: path, message: "could not write the feed: is the disk full or the folder read-only?")
        }
    }

    private func append(_ bytes: [UInt8]) {
        guard !failed else { return }
        let ok = bytes.withUnsafeBytes { $0.isEmpty || sink.append($0.baseAddress!, $0.count) }
        if !ok { failed = true }
    }
}
