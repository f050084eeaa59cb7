import Testing
@testable import HeraldMail

/// The signer's one-pass body canonicalization, held to RFC 6376 §3.4.4 written the plain
/// way (line by line) on bodies of every shape.
@Suite struct DKIMSignerTests {
    static let bodies: [String] = [
        "", "\r\n", "\r\n\r\n", "a", "a\r\n", "a\r\n\r\n\r\n", "a b\r\nc\r\n", "a  b\r\n", "a\tb\r\n", "a \r\n",
        "a\r\n \r\n", "a\nb\r\n", "a\rb\r\n", "=E5=BC=80=20\r\nsoft=\r\nbreak\r\n", "x\r\n\r\ny\r\n\r\n",
        " lead\r\n", "  1. item\r\n", "trail\t\r\n", "no final line end", "\r\n\r\na", "a\r\n\t \r\nb\r\n \r\n",
    ]

    /// RFC 6376 §3.4.4, as the RFC says it.
    func plainRelaxed(_ body: String) -> [UInt8] {
        var lines = body.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        var canonical = lines.map { line -> String in
            var collapsed = ""
            var space = false
            for c in line {
                if c == " " || c == "\t" { space = true; continue }
                if space { collapsed.append(" "); space = false }
                collapsed.append(c)
            }
            return collapsed
        }
        while canonical.last == "" { canonical.removeLast() }
        return Array(canonical.map { $0 + "\r\n" }.joined().utf8)
    }

    @Test(arguments: bodies)
    func onePassMatchesTheRFCLineByLine(_ body: String) {
        #expect(DKIMSigner.relaxedBody(Array(body.utf8)[...]) == plainRelaxed(body))
    }

    @Test func relaxedHeaderFollowsRFC6376() {
        // RFC 6376 §3.4.5's example: "A: X" and "B : Y\t\r\n\tZ  " become "a:X" and "b:Y Z".
        #expect(DKIMSigner.relaxedField(name: "a", value: Array(" X".utf8)) == Array("a:X".utf8))
        #expect(DKIMSigner.relaxedField(name: "b", value: Array(" Y\t\r\n\tZ  ".utf8)) == Array("b:Y Z".utf8))
    }
}
