import CLibXML2

/// An HTML fragment parsed by libxml2's error-tolerant HTML parser and copied
/// into Swift values, so no C pointer outlives `parse` and the sanitizer above
/// it is plain Swift. Comments and processing instructions are dropped here.
indirect enum HTMLNode: Sendable, Equatable {
    case element(name: String, attributes: [HTMLAttribute], children: [HTMLNode])
    case text(String)
}

struct HTMLAttribute: Sendable, Equatable {
    let name: String
    let value: String
}

enum HTMLTree {
    /// The children of `<body>` after libxml2 has repaired the markup
    /// (unclosed tags, stray `</p>`, entities decoded to UTF-8).
    static func parse(_ html: String) -> [HTMLNode] {
        _ = initialized
        let options = Int32(HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        // The wrapper keeps libxml2 from moving leading elements such as <style> or <title> into <head>
        // and then losing the text that follows them.
        let wrapped = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + html + "</body></html>"
        let bytes = Array(wrapped.utf8)
        let parsed: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count), "about:blank", "UTF-8", options)
            }
        }
        guard let doc = parsed else { return [] }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc), let body = child(of: root, named: "body") else { return [] }
        return convertChildren(of: body)
    }

    /// libxml2 2.9 must set up its globals once before parsers run on several threads
    /// (posts are rendered to plain text in parallel).
    private static let initialized: Void = xmlInitParser()

    private static func child(of node: xmlNodePtr, named name: String) -> xmlNodePtr? {
        var cursor = node.pointee.children
        while let current = cursor {
            if current.pointee.type == XML_ELEMENT_NODE, string(current.pointee.name) == name { return current }
            cursor = current.pointee.next
        }
        return nil
    }

    private static func convertChildren(of node: xmlNodePtr) -> [HTMLNode] {
        var out: [HTMLNode] = []
        var cursor = node.pointee.children
        while let current = cursor {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                out.append(
                    .element(
                        name: string(current.pointee.name).lowercased(),
                        attributes: attributes(of: current), children: convertChildren(of: current)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                out.append(.text(string(current.pointee.content)))
            default:
                break
            }
            cursor = current.pointee.next
        }
        return out
    }

    /// Attribute values are text children of the attribute node in libxml2's tree.
    private static func attributes(of node: xmlNodePtr) -> [HTMLAttribute] {
        var out: [HTMLAttribute] = []
        var attr = node.pointee.properties
        while let current = attr {
            var value = ""
            var text = current.pointee.children
            while let piece = text {
                value += string(piece.pointee.content)
                text = piece.pointee.next
            }
            out.append(HTMLAttribute(name: string(current.pointee.name).lowercased(), value: value))
            attr = current.pointee.next
        }
        return out
    }

    private static func string(_ chars: UnsafePointer<xmlChar>?) -> String {
        guard let chars else { return "" }
        return String(cString: chars)
    }

    private static func string(_ chars: UnsafeMutablePointer<xmlChar>?) -> String {
        string(UnsafePointer(chars))
    }
}
