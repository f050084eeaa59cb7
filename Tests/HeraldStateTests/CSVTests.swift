import Foundation
import Testing

@testable import HeraldState

@Suite struct CSVTests {
    func lines(_ text: String) -> [String] {
        CSV.parse(text).map { "\($0.line):" + ($0.problem.map { "\($0)".prefix(20).description } ?? $0.fields.joined(separator: "|")) }
    }

    @Test func aQuoteThatNeverClosesIsAProblemAtItsLineAndTheRowsAfterItAreRead() {
        #expect(
            lines("a,\"b\nc,d\r\ne,\"f\"\"g\"\n\"h\nline\",i\nj,\"k")
                == ["1:the quoted field tha", "2:c|d", "3:e|f\"g", "4:h\nline|i", "6:the quoted field tha"])
    }

    @Test func textAfterAQuoteThatSpansLinesRestartsOnTheNextLine() {
        #expect(lines("x,\"Ana\ny,Bo\nz,\"Cy\"\n") == ["1:the quoted field tha", "2:y|Bo", "3:z|Cy"])
        #expect(lines("\"Ana\" <a@x>\n") == ["1:Ana <a@x>"])
    }

    @Test func aFieldPastTheLimitSkipsItsRowOnly() {
        let big = String(repeating: "x", count: CSV.maximumFieldBytes + 1)
        #expect(lines("a,\(big)\nb,c\n\"\(big)\"\nd\n") == ["1:a field longer than ", "2:b|c", "3:a field longer than ", "4:d"])
    }

    @Test func namesJoinInTheirScriptsOrder() {
        #expect(NameOrder.joined(given: "伟", family: "张") == "张伟")
        #expect(NameOrder.joined(given: "ゆい", family: "山田") == "山田ゆい")
        #expect(NameOrder.joined(given: "Ana", family: "Lima") == "Ana Lima")
        #expect(NameOrder.joined(given: "Wei", family: "张") == "Wei 张")
        #expect(NameOrder.joined(given: nil, family: "张") == "张")
    }

    @Test func exportedTimesOfEachTool() {
        let t = Date(timeIntervalSince1970: 1_677_657_909) // 2023-03-01T08:05:09Z
        #expect(ExportedTime.parse("2023-03-01 08:05:09") == t)
        #expect(ExportedTime.parse("2023-03-01T08:05:09Z") == t)
        #expect(ExportedTime.parse("2023-03-01 10:05:09+02:00") == t)
        #expect(ExportedTime.parse("2023-03-01 10:05:09.5+02") == t.addingTimeInterval(0.5))
        #expect(ExportedTime.parse("2023-03-01") == Date(timeIntervalSince1970: 1_677_628_800))
        #expect(ExportedTime.parse("2023-02-30") == nil && ExportedTime.parse("yesterday") == nil)
    }
}
