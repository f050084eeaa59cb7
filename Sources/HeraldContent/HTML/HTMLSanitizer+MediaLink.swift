extension HTMLSanitizer {
    /// A `<video>` or `<iframe>` as a link to what it plays or shows: neither a mail client
    /// nor a feed reader runs them, and dropping them whole would leave a silent gap in the
    /// post. The link's content is the video's poster image when it has one, else the
    /// element's title, else its address. Nil for other elements, and for a video or iframe
    /// without a safe http(s) address, which is dropped as before.
    func mediaLink(_ element: String, _ attributes: [HTMLAttribute], _ children: [HTMLNode]) -> HTMLNode? {
        guard element == "video" || element == "iframe" else { return nil }
        func value(_ name: String, in attributes: [HTMLAttribute]) -> String? {
            attributes.first { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        }
        let raw = value("src", in: attributes) ?? (element == "video" ? Self.firstSource(in: children) : nil)
        guard let raw, let target = safeURL(raw, image: false), !target.hasPrefix("mailto:") else { return nil }
        let title = value("title", in: attributes)
        let content: HTMLNode
        if element == "video", let poster = value("poster", in: attributes), safeURL(poster, image: true) != nil {
            content = .element(
                name: "img",
                attributes: [HTMLAttribute(name: "src", value: poster), HTMLAttribute(name: "alt", value: title ?? "Video")],
                children: [])
        } else {
            content = .text(title ?? target)
        }
        return .element(name: "a", attributes: [HTMLAttribute(name: "href", value: target)], children: [content])
    }

    /// The `src` of the first `<source>` under a video, however libxml2 nested it.
    private static func firstSource(in nodes: [HTMLNode]) -> String? {
        for case .element(let name, let attributes, let children) in nodes {
            if name == "source", let src = attributes.first(where: { $0.name == "src" })?.value, !src.isEmpty {
                return src
            }
            if let found = firstSource(in: children) { return found }
        }
        return nil
    }
}
