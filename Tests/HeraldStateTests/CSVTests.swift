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
}
