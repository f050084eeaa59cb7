import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldContent

@Suite struct SourceTextTests {
    @Test func bomAndCRLFAreAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: 标题\r\n---\r\n正文\r\n第二行\r".utf8)
        let text = try SourceText.decode(Data(bytes), path: "p.md")
        #expect(text == "---\ntitle: 标题\n---\n正文\n第二行\n")
    }

    @Test func controlCharactersXMLForbidsAreRemoved() {
        // NUL, BEL, ESC, U+FFFE and U+FFFF go; tab and C1 NEL (allowed in XML 1.0) stay.
        #expect(XMLSafeText.clean("a\u{0}b\u{7}c\u{1B}d\te\u{FFFE}f\u{FFFF}g\u{85}h") == "abcd\tefg\u{85}h")
        #expect(XMLSafeText.clean("干净的文字") == "干净的文字")
    }

    @Test func encodedLoneSurrogatesAreRemoved() throws {
        // ED A0 80 is U+D800 written as if it were a character (CESU-8 style).
        let bytes: [UInt8] = Array("前".utf8) + [0xED, 0xA0, 0x80] + Array("后".utf8)
        #expect(try SourceText.decode(Data(bytes), path: "p.md") == "前后")
    }

    @Test func invalidUTF8NamesByteOffsetAndLine() {
        // Line 3 holds a Latin-1 "é" (0xE9 followed by ASCII): invalid as UTF-8.
        let bytes: [UInt8] = Array("---\ntitle: 标题\nCaf".utf8) + [0xE9] + Array("\n".utf8)
        let offset = Array("---\ntitle: 标题\nCaf".utf8).count
        #expect(
            throws: SourceProblem(
                path: "p.md", line: 3,
                message:
                    "invalid UTF-8 at byte \(offset) (0xE9): save the file as UTF-8")
        ) {
            try SourceText.decode(Data(bytes), path: "p.md")
        }
    }

    @Test func badByteAfterASurrogateIsFoundAtItsOwnOffset() {
        // A dropped surrogate first, then a truncated three-byte sequence (E4 B8) at line 2.
        let head: [UInt8] = Array("a".utf8) + [0xED, 0xB0, 0x80] + Array("b\n".utf8)
        let bytes = head + [0xE4, 0xB8] + Array("c".utf8)
        #expect(
            throws: SourceProblem(
                path: "p.md", line: 2,
                message:
                    "invalid UTF-8 at byte \(head.count) (0xE4): save the file as UTF-8")
        ) {
            try SourceText.decode(Data(bytes), path: "p.md")
        }
    }

    @Test func oversizedPostIsRefusedWithoutReadingIt() throws {
        let dir = try TempDir()
        let big = String(repeating: "社区周报正文。\n", count: (5 << 20) / 22) // ≈ 5 MB
        let url = try dir.write("big.md", "---\ntitle: 大文件\ndate: 2024-01-01\n---\n" + big)
        #expect(try Data(contentsOf: url).count > 5_000_000)
        do {
            _ = try SourceText.read(url.path, shownAs: "big.md")
            Issue.record("a 5 MB post was accepted")
        } catch {
            #expect(error.line == 1)
            #expect(error.message.contains("larger than the 4 MB limit"))
        }
    }
}

/// The scan reads only the head of each post (`SourceText.readHead`): it must hold all
/// that `FrontMatter.split` looks at, so the front matter and every error come out the same.
@Suite struct SourceTextHeadTests {
    static let cases: [String] = [
        "---\ntitle: 标题\ndate: 2024-01-01\n---\n正文\n---\n分隔线后\n",
        "\n\n---\ntitle: 前面有空行\n---\n正文\n",
        "---  \ntitle: 行尾空格\n...\t\n正文\n",
        "---\ntitle: \"---\"\n  ---\nsummary: ...x\n---\n",
        "---\ntitle: 没有结束\n正文\n",
        "...\ntitle: 先是三个点\n---\n",
        "+++\ntitle = \"TOML\"\n+++\n",
        "没有 front matter\n---\n",
        "",
        "\n \n",
        "---\n---\n",
        "---\ntitle: 无换行结尾\n---",
        "\u{FEFF}---\ntitle: BOM\n---\n正文\n",
        "---\r\ntitle: CRLF\r\n---\r\n正文\r\n",
    ]

    @Test(arguments: cases) func headSplitsLikeTheWholeFile(_ content: String) throws {
        let dir = try TempDir()
        let url = try dir.write("p.md", content)
        let (head, stamp) = try SourceText.readHead(url.path, shownAs: "p.md", stampedAs: url.path)
        let whole = try SourceText.read(url.path, shownAs: "p.md")
        #expect(whole.hasPrefix(head))
        #expect(stamp == FileStamp.of(url.path))
        switch (
            Result { () throws(SourceProblem) in try FrontMatter.split(head, path: "p.md") },
            Result { () throws(SourceProblem) in try FrontMatter.split(whole, path: "p.md") }
        ) {
        case (.success(let a), .success(let b)):
            #expect(a.yaml == b.yaml)
            #expect(a.openingLine == b.openingLine)
        case (.failure(let a), .failure(let b)):
            #expect(a == b)
        case (let a, let b):
            Issue.record("head gave \(a), whole file gave \(b)")
        }
    }

    @Test func badBytesInTheBodyAreStillReported() throws {
        let dir = try TempDir()
        let url = dir.url.appendingPathComponent("p.md")
        try Data(Array("---\ntitle: 标题\n---\n正文\n".utf8) + [0xC3, 0x28]).write(to: url)
        #expect(throws: SourceProblem.self) {
            try SourceText.readHead(url.path, shownAs: "p.md", stampedAs: url.path)
        }
    }
}
