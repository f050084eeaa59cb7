import HeraldBase

/// Writes one feed's HTML page (`FeedPage`): its head, then `entry(_:)` per post, newest
/// first, then `finish()` writes its tail. Streamed like the feeds, never held whole.
final class FeedPageWriter {
    private let sink: DescriptorSink
    private let path: String
    private let tail: String
    private var failed = false

    /// `path` is only for error messages; the caller owns (and closes) `fileDescriptor`.
    init(fileDescriptor: Int32, path: String, plan: FeedPlan, feed name: String, context: FeedContext) {
        sink = DescriptorSink(fileDescriptor)
        self.path = path
        let frame = FeedPage.frame(plan: plan, feed: name, context: context)
        tail = frame.tail
        append(Array(frame.head.utf8))
    }

    /// The post's entry, made once for all pages (see `FeedEntryXML`).
    func entry(_ entry: FeedEntryXML) {
        append(entry.page)
    }

    func finish() throws(FileError) {
        append(Array(tail.utf8))
        if !sink.flush() { failed = true }
        if failed {
            throw FileError(path: path, message: "could not write the feed's page: is the disk full or the folder read-only?")
        }
    }

    private func append(_ bytes: [UInt8]) {
        guard !failed else { return }
        let ok = bytes.withUnsafeBytes { $0.isEmpty || sink.append($0.baseAddress!, $0.count) }
        if !ok { failed = true }
    }
}
