import Foundation
import HeraldBase

/// Makes a post's HTML safe for an email or a feed, by allow-list: only the
/// elements and attributes below survive, everything else is unwrapped (its
/// text kept) or, for active or hidden content, dropped whole. URLs are made
/// absolute against the post and limited to http(s)/mailto (images: http(s),
/// or inline raster `data:image/…;base64`). One sanitizer for both, so a post
/// a digest would not carry cannot reach a feed reader either.
package struct HTMLSanitizer: Sendable {
    /// How the safe HTML is dressed.
    package enum Presentation: Sendable {
        /// Styles written inline (mail clients drop `<style>`), a wide table in a
        /// box of its own that scrolls.
        case email
        /// No styling: a feed reader applies its own.
        case feed
    }

    /// Elements kept (with their allowed attributes).
    static let allowedElements: [String: Set<String>] = {
        var map: [String: Set<String>] = [:]
        for name in [
            "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
            "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li",
            "mark", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "tbody",
            "tfoot", "thead", "tr", "u", "ul", "var",
        ] {
            map[name] = []
        }
        map["a"] = ["href", "title"]
        map["img"] = ["src", "alt", "title"]
        map["ol"] = ["start"]
        map["table"] = ["summary"]
        map["td"] = ["colspan", "rowspan", "align"]
        map["th"] = ["colspan", "rowspan", "align", "scope"]
        return map
    }()

    /// Elements written as another, allowed one: layout containers keep their
    /// block break as a plain `div`, a `<details>` summary reads as a bold line.
    static let renamedElements: [String: String] = [
        "article": "div", "aside": "div", "center": "div", "details": "div", "footer": "div", "header": "div",
        "main": "div", "nav": "div", "section": "div", "summary": "p",
    ]

    /// Dropped with everything inside: scripts, styles, embedded documents,
    /// forms and their controls, and content a reader would not see in a browser.
    static let droppedElements: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "form", "input",
        "button", "select", "option", "optgroup", "textarea", "noscript", "template", "svg", "math", "link", "meta",
        "base", "title", "head", "audio", "video", "source", "track", "canvas", "map", "area", "dialog", "portal",
    ]

    private static func isTaskBox(_ attributes: [HTMLAttribute]) -> Bool {
        attributes.contains { $0.name == "type" && $0.value.lowercased() == "checkbox" }
    }

    /// HTML5 void elements. libxml2 2.9 parses HTML 4 and does not know some
    /// of them (`<embed>`, `<source>`): it nests the content that follows
    /// inside. Whatever it put under a void element is really a sibling.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
    ]

    /// `data:` URLs allowed as image sources (not SVG: it can carry script).
    static let inlineImageTypes = [
        "data:image/png;base64,", "data:image/gif;base64,", "data:image/jpeg;base64,",
        "data:image/webp;base64,",
    ]

    /// Inline styles per element, so posts look the same in every mail client.
    static let styles: [String: String] = [
        "p": "margin:0 0 16px 0;line-height:1.7;",
        "h1": "margin:24px 0 12px 0;font-size:20px;line-height:1.4;",
        "h2": "margin:24px 0 12px 0;font-size:18px;line-height:1.4;",
        "h3": "margin:20px 0 10px 0;font-size:16px;line-height:1.4;",
        "h4": "margin:16px 0 8px 0;font-size:15px;line-height:1.4;",
        "h5": "margin:16px 0 8px 0;font-size:15px;line-height:1.4;",
        "h6": "margin:16px 0 8px 0;font-size:15px;line-height:1.4;",
        "a": "color:#1a5fb4;text-decoration:underline;word-break:break-word;",
        "img": "display:block;max-width:100%;height:auto;border:0;margin:0 auto;",
        "blockquote": "margin:0 0 16px 0;padding:4px 16px;border-left:4px solid #d0d7de;color:#555555;",
        "pre": "margin:0 0 16px 0;padding:12px;background-color:#f6f8fa;border-radius:4px;white-space:pre-wrap;"
            + "word-wrap:break-word;font-family:Menlo,Consolas,monospace;font-size:13px;line-height:1.5;",
        "code": "font-family:Menlo,Consolas,monospace;font-size:90%;",
        "ul": "margin:0 0 16px 0;padding-left:24px;",
        "ol": "margin:0 0 16px 0;padding-left:24px;",
        "li": "margin:0 0 6px 0;line-height:1.7;",
        "table": "border-collapse:collapse;margin:0 0 16px 0;font-size:14px;line-height:1.5;",
        // Cells break words only where the language allows (not "组件" into 组/件): a table too
        // wide for a phone scrolls in its wrapper rather than turning into a column of letters.
        "th": "border:1px solid #d0d7de;padding:6px 10px;background-color:#f6f8fa;text-align:left;"
            + "word-break:keep-all;overflow-wrap:normal;white-space:nowrap;",
        "td": "border:1px solid #d0d7de;padding:6px 10px;word-break:keep-all;overflow-wrap:normal;",
        "hr": "border:0;border-top:1px solid #e1e4e8;margin:24px 0;",
        "figcaption": "font-size:13px;color:#666666;text-align:center;margin:4px 0 16px 0;",
        "div": "margin:0 0 16px 0;",
    ]

    /// Relative links and images in the post resolve against this URL.
    let base: URL
    let presentation: Presentation

    package init(base: URL, presentation: Presentation = .email) {
        self.base = base
        self.presentation = presentation
    }

    package func sanitize(_ html: String) -> SafeHTML {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        for node in HTMLTree.parse(html) { write(node, into: &out) }
        return SafeHTML(vouchedFor: out)
    }

    func write(_ node: HTMLNode, into out: inout String) {
        switch node {
        case .text(let text):
            out += HTMLEscaping.text(text)
        case .element(let original, let attributes, let children):
            if original == "input", Self.isTaskBox(attributes) {
                // A task list's box (`- [x]`), as Hugo's Goldmark and cmark-gfm write it: inert once disabled.
                let checked = attributes.contains { $0.name == "checked" }
                out += checked ? "<input type=\"checkbox\" checked=\"\" disabled=\"\">" : "<input type=\"checkbox\" disabled=\"\">"
                children.forEach { write($0, into: &out) }
                return
            }
            if let link = mediaLink(original, attributes, children) {
                write(link, into: &out)
                return
            }
            if Self.droppedElements.contains(original) {
                if Self.voidElements.contains(original) { children.forEach { write($0, into: &out) } }
                return
            }
            let name = Self.renamedElements[original] ?? original
            guard let allowed = Self.allowedElements[name] else {
                children.forEach { write($0, into: &out) }
                return
            }
            var kept: [(String, String)] = []
            for attribute in attributes where allowed.contains(attribute.name) {
                switch attribute.name {
                case "href": if let url = safeURL(attribute.value, image: false) { kept.append(("href", url)) }
                case "src": if let url = safeURL(attribute.value, image: true) { kept.append(("src", url)) }
                case "start", "colspan", "rowspan":
                    if let number = Int(attribute.value.trimmingCharacters(in: .whitespaces)), (0...10_000).contains(number) {
                        kept.append((attribute.name, String(number)))
                    }
                case "align":
                    let value = attribute.value.lowercased()
                    if ["left", "center", "right"].contains(value) { kept.append(("align", value)) }
                default: kept.append((attribute.name, attribute.value))
                }
            }
            if name == "img" {
                // An image without a usable source is nothing; one without alt gets an empty (decorative) alt.
                guard kept.contains(where: { $0.0 == "src" }) else {
                    children.forEach { write($0, into: &out) }
                    return
                }
                if !kept.contains(where: { $0.0 == "alt" }) { kept.append(("alt", "")) }
            }
            if name == "a", !kept.contains(where: { $0.0 == "href" }) {
                children.forEach { write($0, into: &out) }
                return
            }
            let styled = presentation == .email
            if styled, let style = Self.styles[name] { kept.append(("style", style)) }
            // A wide table scrolls inside its own box instead of widening the whole message on a phone.
            let boxed = styled && name == "table"
            if boxed { out += "<div style=\"overflow-x:auto;\">" }
            defer { if boxed { out += "</div>" } }
            out += "<"
            out += name
            for (key, value) in kept {
                out += " "
                out += key
                out += "=\""
                out += HTMLEscaping.attribute(value)
                out += "\""
            }
            out += ">"
            for child in children { write(child, into: &out) }
            if !Self.voidElements.contains(name) {
                out += "</"
                out += name
                out += ">"
            }
        }
    }

    /// An absolute URL with an allowed scheme, or nil. Cleaned the way browsers
    /// clean it before looking at the scheme (WHATWG URL): C0 controls and spaces
    /// trimmed from the ends, tabs and newlines removed everywhere (`java\tscript:`).
    package func safeURL(_ raw: String, image: Bool) -> String? {
        // Most URLs in a post are already absolute http(s) ones that parsing would give back
        // unchanged, so they skip the parser (BENCHMARKS.md, "Where the speed tricks came from").
        if Self.isPlainAbsolute(raw) { return raw }
        return parsedSafeURL(raw, image: image)
    }

    /// `safeURL` the plain way: cleaned, parsed against the post, scheme checked.
    func parsedSafeURL(_ raw: String, image: Bool) -> String? {
        let trimmed = raw.unicodeScalars.drop { $0.value <= 0x20 }.reversed().drop { $0.value <= 0x20 }.reversed()
        let squeezed = String(String.UnicodeScalarView(trimmed.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }))
        let lower = squeezed.lowercased()
        if image, Self.inlineImageTypes.contains(where: { lower.hasPrefix($0) }) { return squeezed }
        guard let url = URL(string: squeezed, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased()
        else { return nil }
        let allowed: Set<String> = image ? ["http", "https"] : ["http", "https", "mailto"]
        guard allowed.contains(scheme) else { return nil }
        return url.absoluteString
    }

    /// `http://` or `https://` (lowercase) followed only by characters Foundation's URL parser
    /// keeps as they are: no space or control, no IPv6 brackets, at most one `#`, and `%` only
    /// before two hex digits. For these `safeURL` returns the URL unchanged (a differential
    /// test holds the two ways together).
    static func isPlainAbsolute(_ url: String) -> Bool {
        let bytes = url.utf8
        let scheme: Int
        if bytes.starts(with: "https://".utf8) {
            scheme = 8
        } else if bytes.starts(with: "http://".utf8) {
            scheme = 7
        } else {
            return false
        }
        var hashes = 0
        var pendingHex = 0
        for (i, byte) in bytes.enumerated() where i >= scheme {
            if pendingHex > 0 {
                guard HexDigit.value(byte) != nil else { return false }
                pendingHex -= 1
                continue
            }
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: continue
            case UInt8(ascii: "%"): pendingHex = 2
            case UInt8(ascii: "#"):
                hashes += 1
                if hashes > 1 { return false }
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"),
                UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"),
                UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
                UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
                continue
            default: return false
            }
        }
        // A host must follow the scheme.
        return pendingHex == 0 && bytes.count > scheme && bytes[bytes.index(bytes.startIndex, offsetBy: scheme)] != UInt8(ascii: "/")
    }

    /// Raw HTML from a post that the sanitizer would keep as it is: only start, end or
    /// self-closing tags without attributes, of elements it keeps whole (`<br/>`, `<em>`,
    /// `</sub>`), and whitespace between them. Links and images need attributes, so never.
    static func isInertMarkup(_ html: String) -> Bool {
        var bytes = html.utf8[...]
        func skipSpace() { bytes = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D } }
        skipSpace()
        guard !bytes.isEmpty else { return false }
        while let first = bytes.first {
            guard first == UInt8(ascii: "<") else { return false }
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "/") { bytes = bytes.dropFirst() }
            let name = bytes.prefix { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
            guard !name.isEmpty, let element = String(name)?.lowercased(), element != "a", element != "img",
                allowedElements[element] != nil
            else { return false }
            bytes = bytes.dropFirst(name.count)
            skipSpace()
            if bytes.first == UInt8(ascii: "/") { bytes = bytes.dropFirst() }
            guard bytes.first == UInt8(ascii: ">") else { return false }
            bytes = bytes.dropFirst()
            skipSpace()
        }
        return true
    }
}
