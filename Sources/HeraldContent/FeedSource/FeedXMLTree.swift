import CLibXML2
import Foundation
import HeraldBase

/// A feed's XML read with libxml2's streaming reader into small Swift values, so no C
/// pointer outlives `parse`. The reader fetches nothing (XML_PARSE_NONET), loads no DTD
/// and substitutes no entity; a document that declares entities of its own is refused
/// outright, since no feed needs them and they are how "billion laughs" attacks start.
///
/// A node is a class: readers look children up by name many times per entry, and a struct
/// of strings, a dictionary and an array would be copied — retained field by field — each time.
/// Only `parse` changes a node, while it builds the tree; after it returns the tree is
/// read-only, and readers read entries on several threads.
final class FeedXMLNode: @unchecked Sendable {
    let name: String
    let namespace: String
    /// By local name (`rdf:about` is `about`); namespace declarations left out.
    fileprivate(set) var attributes: [String: String]
    /// The text and CDATA directly inside, concatenated.
    fileprivate(set) var text = ""
    fileprivate(set) var children: [FeedXMLNode] = []
    /// The base URI in effect here: `xml:base` resolved against the document's address.
    let base: String?
    /// `base` as a URL, parsed once where it is set and shared by the elements under it.
    let baseURL: URL?
    /// For an Atom text construct of `type="xhtml"`: its markup, as written.
    fileprivate(set) var innerXML: String?

    fileprivate init(name: String, namespace: String, attributes: [String: String], base: String?, baseURL: URL?) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.base = base
        self.baseURL = baseURL
    }

    func child(_ name: String, in namespaces: Set<String>) -> FeedXMLNode? {
        children.first { $0.name == name && namespaces.contains($0.namespace) }
    }

    func all(_ name: String, in namespaces: Set<String>) -> [FeedXMLNode] {
        children.filter { $0.name == name && namespaces.contains($0.namespace) }
    }

    var trimmedText: String { Whitespace.trimmed(text) }
}

enum FeedXMLTree {
    static let atomNamespace = "http://www.w3.org/2005/Atom"

    static func parse(_ bytes: [UInt8], url: String) throws(FeedReadError) -> FeedXMLNode {
        _ = initialized
        let errors = ErrorBox()
        let box = Unmanaged.passRetained(errors)
        defer { box.release() }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        let made: xmlTextReaderPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReaderForMemory(chars.baseAddress, Int32(chars.count), url, nil, options)
            }
        }
        guard let reader = made else { throw FeedReadError(url, "not a feed: libxml2 cannot read it") }
        // A document taken from the reader is the caller's to free, after the reader.
        var takenDocument: xmlDocPtr?
        defer { if let takenDocument { xmlFreeDoc(takenDocument) } }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetErrorHandler(reader, collectError, box.toOpaque())

        var stack: [FeedXMLNode] = []
        var root: FeedXMLNode?
        func close(_ node: FeedXMLNode) {
            if let parent = stack.last { parent.children.append(node) } else { root = node }
        }
        while true {
            let step = xmlTextReaderRead(reader)
            if step == 0 { break }
            guard step > 0 else {
                // libxml2 may stop inside the DTD (an entity loop) before showing it.
                takenDocument = xmlTextReaderCurrentDoc(reader)
                if let subset = takenDocument?.pointee.intSubset, declaresEntities(subset) {
                    throw entityRefusal(url, line: errors.line)
                }
                throw FeedReadError(
                    url, line: errors.line, "not a feed: the XML is broken (\(errors.message ?? "libxml2 stopped reading"))")
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                // The DTD node itself: taking the document would keep the whole tree in memory.
                if let node = xmlTextReaderCurrentNode(reader), node.pointee.type == XML_DTD_NODE,
                    declaresEntities(UnsafeMutableRawPointer(node).assumingMemoryBound(to: xmlDtd.self))
                {
                    throw entityRefusal(url, line: Int(xmlTextReaderGetParserLineNumber(reader)))
                }
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = string(xmlTextReaderConstLocalName(reader))
                let namespace = string(xmlTextReaderConstNamespaceUri(reader))
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                var attributes: [String: String] = [:]
                while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                    let ns = string(xmlTextReaderConstNamespaceUri(reader))
                    guard ns != "http://www.w3.org/2000/xmlns/" else { continue }
                    let local = string(xmlTextReaderConstLocalName(reader))
                    // xml:lang is the one attribute of the xml namespace a feed's reader wants.
                    let key = ns == "http://www.w3.org/XML/1998/namespace" ? "xml:" + local : local
                    attributes[key] = string(xmlTextReaderConstValue(reader))
                }
                _ = xmlTextReaderMoveToElement(reader)
                // The base changes only where xml:base is written; below it is the parent's,
                // so libxml2 resolves it (and Foundation parses it) once per xml:base, not per element.
                let node: FeedXMLNode
                if let parent = stack.last, attributes["xml:base"] == nil {
                    node = FeedXMLNode(
                        name: name, namespace: namespace, attributes: attributes, base: parent.base, baseURL: parent.baseURL)
                } else {
                    let base = xmlTextReaderConstBaseUri(reader).map { String(cString: $0) }
                    node = FeedXMLNode(
                        name: name, namespace: namespace, attributes: attributes, base: base,
                        baseURL: base.flatMap { URL(string: $0) })
                }
                if node.namespace == atomNamespace, node.attributes["type"] == "xhtml",
                    let inner = xmlTextReaderReadInnerXml(reader)
                {
                    node.innerXML = String(cString: inner)
                    free(inner) // xmlFree is free: Herald never swaps libxml2's allocator
                }
                if empty { close(node) } else { stack.append(node) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let node = stack.popLast() { close(node) }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                stack.last?.text += string(xmlTextReaderConstValue(reader))
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                // An entity the document does not declare (RSS 0.91's `&nbsp;` from its DTD):
                // read as HTML's, else left out.
                if let parent = stack.last, let entity = htmlEntityLookup(xmlTextReaderConstLocalName(reader)),
                    let scalar = Unicode.Scalar(entity.pointee.value)
                {
                    parent.text.unicodeScalars.append(scalar)
                }
            default:
                break
            }
        }
        guard let root else {
            throw FeedReadError(url, line: errors.line, "not a feed: no XML element in it (\(errors.message ?? "empty"))")
        }
        guard stack.isEmpty else { throw FeedReadError(url, line: errors.line, "not a feed: the XML ends inside an element") }
        return root
    }

    private static func declaresEntities(_ subset: xmlDtdPtr) -> Bool {
        subset.pointee.entities != nil || subset.pointee.pentities != nil
    }

    private static func entityRefusal(_ url: String, line: Int?) -> FeedReadError {
        FeedReadError(url, line: line, "not a feed Herald reads: it declares entities of its own (<!ENTITY>), which no feed needs")
    }

    /// libxml2 sets up its globals once before readers run on several threads.
    private static let initialized: Void = xmlInitParser()

    private static func string(_ chars: UnsafePointer<xmlChar>?) -> String {
        guard let chars else { return "" }
        return String(cString: chars)
    }

    /// The first error libxml2 reported, through the handler's userdata.
    final class ErrorBox {
        var message: String?
        var line: Int?
    }
}

/// xmlTextReaderErrorFunc: keeps the first error and its line; warnings are ignored.
private func collectError(
    _ arg: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?, _ severity: xmlParserSeverities,
    _ locator: xmlTextReaderLocatorPtr?
) {
    guard let arg, let message else { return }
    let box = Unmanaged<FeedXMLTree.ErrorBox>.fromOpaque(arg).takeUnretainedValue()
    guard severity == XML_PARSER_SEVERITY_ERROR || severity == XML_PARSER_SEVERITY_VALIDITY_ERROR else { return }
    let text = Whitespace.collapsed(String(cString: message))
    guard box.message == nil else { return }
    box.message = text
    box.line = locator.map { Int(xmlTextReaderLocatorLineNumber($0)) }.flatMap { $0 > 0 ? $0 : nil }
}
