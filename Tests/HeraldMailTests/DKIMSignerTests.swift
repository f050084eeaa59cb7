import Crypto
import Foundation
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldMail

/// The signer's in-place canonicalization, held to RFC 6376 §3.4.4 written the plain way
/// (line by line) and, whole messages, to the plain signer (`PlainDKIMSigner`) byte for byte.
@Suite struct DKIMSignerTests {
    static let bodies: [String] = [
        "", "\r\n", "\r\n\r\n", "a", "a\r\n", "a\r\n\r\n\r\n", "a b\r\nc\r\n", "a  b\r\n", "a\tb\r\n", "a \r\n",
        "a\r\n \r\n", "a\nb\r\n", "a\rb\r\n", "=E5=BC=80=20\r\nsoft=\r\nbreak\r\n", "x\r\n\r\ny\r\n\r\n",
        " lead\r\n", "  1. item\r\n", "trail\t\r\n", "no final line end", "\r\n\r\na", "a\r\n\t \r\nb\r\n \r\n",
        "a\r\n \r\n\r\nb\r\n", "\r\r\n\n\r\n", "a\r\n\r\n \t", "end  ", "x\r\n\r\n\r\ny  z\r\n\r\n\r\nw",
    ]

    /// RFC 6376 §3.4.4, as the RFC says it.
    static func plainRelaxed(_ body: String) -> [UInt8] {
        var lines = body.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        var canonical = lines.map { line -> String in
            var collapsed = ""
            var space = false
            for c in line.unicodeScalars {
                if c == " " || c == "\t" {
                    space = true
                    continue
                }
                if space {
                    collapsed.append(" ")
                    space = false
                }
                collapsed.unicodeScalars.append(c)
            }
            return collapsed
        }
        while canonical.last == "" { canonical.removeLast() }
        return Array(canonical.map { $0 + "\r\n" }.joined().utf8)
    }

    static func bodyHash(_ body: String) -> SHA256.Digest {
        Array(body.utf8).withUnsafeBufferPointer { RelaxedBodyHash.digest($0) }
    }

    @Test(arguments: bodies)
    func bodyHashMatchesTheRFCLineByLine(_ body: String) {
        #expect(Self.bodyHash(body) == SHA256.hash(data: Self.plainRelaxed(body)))
    }

    /// Bodies drawn from the bytes the rule treats specially: short lines, and long ones
    /// (the scan takes eight bytes at a time) with a space or tab anywhere in them.
    @Test(arguments: [
        (["a", "bc", " ", "  ", "\t", "\r\n", "\r\n", "\r", "\n", "é"], 40),
        (["a", "b", "c", "d", "e", "f", "g", " ", "\t", "\r\n"], 200),
    ])
    func bodyHashMatchesTheRFCOnRandomBodies(_ pieces: [String], _ length: Int) {
        var rng = TestRandom.seeded("DKIMSignerTests.bodyHashMatchesTheRFCOnRandomBodies(length: \(length))")
        for _ in 0..<3000 {
            let body = (0..<Int.random(in: 0...length, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            #expect(Self.bodyHash(body) == SHA256.hash(data: Self.plainRelaxed(body)), "\(Array(body.utf8)) \(rng.replay)")
        }
    }

    @Test func relaxedHeaderFollowsRFC6376() {
        // RFC 6376 §3.4.5's example: "A: X" and "B : Y\t\r\n\tZ  " become "a:X" and "b:Y Z";
        // a colon inside the value keeps the space after it.
        func relaxed(_ name: String, _ value: String) -> String {
            var out: [UInt8] = []
            Array(value.utf8).withUnsafeBufferPointer { DKIMSigner.appendRelaxed(name: Array(name.utf8), value: $0, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
        #expect(relaxed("a", " X") == "a:X")
        #expect(relaxed("b", " Y\t\r\n\tZ  ") == "b:Y Z")
        #expect(relaxed("subject", " Re: Digest #3:  news ") == "subject:Re: Digest #3: news")
    }

    static let signer = DKIMSigner(
        settings: DKIMSettings(
            domain: "news.example.org", selector: "s2026", keyFile: nil,
            algorithm: .ed25519),
        key: .ed25519(Curve25519.Signing.PrivateKey()))

    /// Messages of random shape: signed and other fields in any case, repeated, folded,
    /// spaced around the colon; bodies as above.
    @Test func signsAsThePlainSignerDoes() throws {
        var rng = TestRandom.seeded("DKIMSignerTests.signsAsThePlainSignerDoes")
        let names = DKIMSigner.signedFields + ["x-mailer", "received", "fromage", "to-do"]
        let words = ["a", "Re:", "x  y", "\t", "<mailto:u@example.org>,", "=?utf-8?q?=C3=A9?=", ""]
        let pieces = ["text", " ", "  ", "\t", "\r\n", "\r\n", "\r"]
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        for _ in 0..<500 {
            var header = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                var name = names.randomElement(using: &rng)!
                if Bool.random(using: &rng) { name = name.uppercased() }
                header += name + [":", " :", ": ", ":\t"].randomElement(using: &rng)!
                header += (0..<Int.random(in: 0...4, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
                for _ in 0..<Int.random(in: 0...2, using: &rng) {
                    header += "\r\n" + [" ", "\t", "  "].randomElement(using: &rng)! + words.randomElement(using: &rng)!
                }
                header += "\r\n"
            }
            let body = (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let message = Array((header + (Bool.random(using: &rng) ? "\r\n" + body : "")).utf8)
            let signed = try Self.signer.sign(message, now: now)
            #expect(
                signed == (try PlainDKIMSigner(signer: Self.signer).sign(message, now: now)),
                "\(String(decoding: message, as: UTF8.self).debugDescription) \(rng.replay)")
        }
    }
}
