import CLibXML2
import Foundation
import Testing

@testable import HeraldBase
@testable import HeraldFeeds

/// `EscapedText` must give the bytes libxml2 gives for the same text, and entries made
/// once as fragments the bytes a feed writer would have written itself.
@Suite struct XMLEscapingTests {
    /// Text that exercises every replacement, the characters XML forbids, multi-byte
    /// characters, and special bytes at every position of an 8-byte word.
    static let hostile: [String] = {
        var texts = [
            "", "a", "&", "<", ">", "\"", "'", "\r", "\r\n", "\n", "\t", "]]>", "]]]]><![CDATA[x]]>",
            "a <b>bold</b> & ]]> \"quoted\" 'x'", "&amp; &lt; &#x26; &#13;",
            "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{7F}h\u{FFFE}i\u{FFFF}j\u{FFFD}k\u{85}l",
            "🚀 发布 𠀋𡈽 👩‍👩‍👧 \u{1D11E} é e\u{301} <\u{338}",
            "\u{EF}\u{FFEF}\u{FF0C}\u{FFFE}", "，：（）&（）<",
            String(repeating: "文档消息 latency <p class=\"x\">&amp;</p>\r\n", count: 40),
        ]
        for position in 0..<17 {
            for special in ["<", ">", "&", "\"", "\r", "\u{1}", "\u{FFFF}", "é", "🚀"] {
                texts.append(String(repeating: "x", count: position) + special + String(repeating: "y", count: 17 - position))
            }
        }
        return texts
    }()

    /// `<e>TEXT</e>` written by libxml2 alone, through its own escaping
    /// (`xmlTextWriterWriteString`): the plain way `EscapedText` must equal.
    func byLibxml2(_ text: String) -> [UInt8] {
        let buffer = xmlBufferCreate()!
        defer { xmlBufferFree(buffer) }
        let writer = xmlNewTextWriterMemory(buffer, 0)!
        xmlTextWriterStartElement(writer, "e")
        xmlTextWriterWriteString(writer, XMLSafeText.clean(text))
        xmlTextWriterEndElement(writer)
        xmlFreeTextWriter(writer) // flushes into the buffer
        return Array(UnsafeBufferPointer(start: xmlBufferContent(buffer), count: Int(xmlBufferLength(buffer))))
    }

    /// The same element from Herald's writer, without the line break it adds after it.
    func byHerald(_ write: (XMLWriter) -> Void) -> [UInt8] {
        var bytes = XMLWriter.fragment(depth: 0, write).bytes
        if bytes.last == 0x0A { bytes.removeLast() }
        return bytes == Array("<e/>".utf8) ? Array("<e></e>".utf8) : bytes
    }

    func byEscapedText(_ text: EscapedText) -> [UInt8] {
        byHerald { $0.element("e", text) }
    }

    @Test(arguments: hostile)
    func escapedTextIsWhatLibxml2Writes(_ text: String) {
        #expect(byEscapedText(EscapedText(text)) == byLibxml2(text))
        #expect(byHerald { $0.element("e", text) } == byLibxml2(text))
    }

    @Test func replacementsAreTheFiveOfXmlEncodeSpecialChars() {
        #expect(
            String(decoding: byEscapedText(EscapedText("<a href=\"x\">&'\r\n]]>")), as: UTF8.self)
                == "<e>&lt;a href=&quot;x&quot;&gt;&amp;'&#13;\n]]&gt;</e>")
    }

    @Test func forbiddenCharactersAreDroppedAndAstralOnesKept() {
        #expect(
            String(decoding: byEscapedText(EscapedText("a\u{0}b\u{1F}c\u{FFFE}d\u{FFFF}e\t𝄞🚀")), as: UTF8.self)
                == "<e>abcde\t𝄞🚀</e>")
    }

    @Test(arguments: hostile)
    func rssPlainTextDiffersOnlyInAmpersandAndLessThan(_ text: String) {
        let expected = byLibxml2(text)
        let plain = byEscapedText(EscapedText(rssPlainText: text))
        // On bytes: String comparisons would not see `&#x3C;` before a combining mark.
        func undo(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                if bytes[i...].starts(with: "&#x26;".utf8) {
                    out += "&amp;".utf8
                    i += 6
                } else if bytes[i...].starts(with: "&#x3C;".utf8) {
                    out += "&lt;".utf8
                    i += 6
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return out
        }
        #expect(undo(plain) == expected)
        func contains(_ bytes: [UInt8], _ entity: String) -> Bool {
            bytes.indices.contains { bytes[$0...].starts(with: entity.utf8) }
        }
        #expect(!contains(plain, "&amp;") && !contains(plain, "&lt;"))
    }

    @Test func rssPlainTextUsesHexReferences() {
        #expect(
            String(decoding: byEscapedText(EscapedText(rssPlainText: "R&D < 周报 > \"x\"")), as: UTF8.self)
                == "<e>R&#x26;D &#x3C; 周报 &gt; &quot;x&quot;</e>")
    }

    @Test func attributesAreQuotedByLibxml2() {
        let bytes = XMLWriter.fragment(depth: 0) {
            $0.empty("c", ["term": "a\"b'c<d>&e\nf\tg\rh", "label": "开源 🚀", "x": "]]>"])
        }.bytes
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "<c term=\"a&quot;b'c&lt;d&gt;&amp;e&#10;f&#9;g&#13;h\" label=\"&#x5F00;&#x6E90; &#x1F680;\" x=\"]]&gt;\"/>\n")
    }

    @Test func needsCleaningFindsForbiddenCharactersAtEveryPosition() {
        for text in Self.hostile {
            let expected = text.unicodeScalars.contains { !XMLSafeText.isAllowed($0) }
            #expect(XMLSafeText.needsCleaning(text) == expected, "\(Array(text.utf8))")
        }
    }

    /// A fragment is the bytes a writer writes for the same calls in place, at its depth.
    @Test(arguments: [0, 1, 2, 3])
    func fragmentsAreWhatTheWriterWritesInPlace(depth: Int) throws {
        func entry(_ xml: XMLWriter) {
            xml.start("entry")
            xml.element("title", "a <b> & ]]> 🚀")
            xml.empty("link", ["href": "https://e.org/?a=1&b=\"2\""])
            xml.start("author")
            xml.element("name", "张三")
            xml.end()
            xml.element("content", EscapedText("<p>x</p>\r\n"), ["type": "html"])
            xml.element("empty", "")
            xml.end()
        }
        func document(_ body: (XMLWriter) -> Void) -> [UInt8] {
            XMLWriter.fragment(depth: 0) { xml in
                xml.start("root")
                xml.element("first", "child")
                for level in 1..<max(depth, 1) {
                    xml.start("level\(level)")
                    xml.element("first", "child")
                }
                body(xml)
                body(xml)
                for _ in 1..<max(depth, 1) { xml.end() }
                xml.end()
            }.bytes
        }
        guard depth > 0 else {
            // At the top, fragments follow each other as libxml2 would write them.
            let once = XMLWriter.fragment(depth: 0, entry).bytes
            #expect(String(decoding: once, as: UTF8.self).hasPrefix("<entry>\n  <title>a &lt;b&gt; &amp; ]]&gt; 🚀</title>\n"))
            return
        }
        let fragment = XMLWriter.fragment(depth: depth, entry)
        let inPlace = document(entry)
        let copied = document { $0.write(fragment) }
        #expect(String(decoding: copied, as: UTF8.self) == String(decoding: inPlace, as: UTF8.self))
    }
}
