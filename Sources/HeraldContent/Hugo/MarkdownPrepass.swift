import CCmarkGFM

#if canImport(Glibc)
    import Glibc
#endif

/// What the Goldmark passes over a Hugo site's parsed post share (`HugoHeadingAttributes`,
/// `HugoDefinitionLists`): a quick look at the source, so that most posts skip the pass, and
/// the nodes of one type, gathered before the pass changes the tree under the iterator.
enum MarkdownPrepass {
    /// Whether some `byte` in `source` passes `test(bytes, index)`; memchr from one to the
    /// next, because a byte loop in Swift over every post of a site is a visible part of a build.
    static func any(_ byte: UInt8, in source: Substring, where test: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
        var text = source
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var from = 0
            while from < bytes.count, let hit = memchr(base + from, Int32(byte), bytes.count - from) {
                let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if test(bytes, at) { return true }
                from = at + 1
            }
            return false
        }
    }

    /// Every node of `type` under `root`, in document order.
    static func nodes(_ type: cmark_node_type, under root: OpaquePointer) -> [OpaquePointer] {
        var found: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(root) else { return found }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == type {
                found.append(node)
            }
        }
        cmark_iter_free(iterator)
        return found
    }
}
