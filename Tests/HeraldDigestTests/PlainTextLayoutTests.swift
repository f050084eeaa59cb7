import Foundation
import HeraldBase
import HeraldMail
import Testing

@testable import HeraldDigest

@Suite struct PlainTextLayoutTests {
    @Test func rewrapsOnlyLinesWiderThan78KeepingIndentation() {
        let short = "  本周精选问答。"
        let long = "  " + String(repeating: "每周精选问答，同步开源进展。", count: 8)
        let url = "https://example.org/" + String(repeating: "a", count: 100)
        let out = PlainTextLayout.finish([short, long, url, "", "", "", "end   "].joined(separator: "\n"))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == short)
        #expect(lines.dropFirst().prefix { $0.hasPrefix("  ") }.allSatisfy { DisplayWidth.of($0) <= 72 })
        // A URL cannot be broken; blank runs shrink to one; trailing spaces go.
        #expect(lines.contains(url))
        #expect(out.hasSuffix(url + "\n\nend\n"))
    }

    @Test func leavesTheLoadersTextAsItIs() {
        let table = "组件        | 版本  | 说明\n" + String(repeating: "-", count: 100) + "\n\n\n    code   "
        let out = PlainTextLayout.finish("1. Title\n\n" + PlainTextLayout.placeholder(0) + "\n\n--\n", verbatim: [table])
        #expect(out == "1. Title\n\n" + table + "\n\n--\n")
    }
}
