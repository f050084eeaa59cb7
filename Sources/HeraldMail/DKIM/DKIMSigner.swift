import Crypto
import Foundation
import HeraldBase
import HeraldConfig

/// Signs a finished message (RFC 6376, relaxed/relaxed): a `DKIM-Signature` field put in
/// front of it, over the fields below that the message has and over its body. Once per
/// message, and no body hash is reused: every message's MIME boundary differs (it is drawn
/// from the recipient), and even with one boundary per digest the first byte naming the
/// subscriber (the text part's footer) comes a fifth of the way into the body.
///
/// It works on the message's bytes where they lie: the header is scanned for the signed
/// fields only, the body hashed without a canonical copy (`RelaxedBodyHash`), and the field
/// written once into the output; building strings and arrays per field and per body was
/// the signer's largest cost outside the cryptography (BENCHMARKS.md, "DKIM signing").
/// `DKIMSignerTests` hold it to the plain implementation, byte for byte.
package struct DKIMSigner: Sendable {
    /// What is signed, when present: the fields a reader sees and the list fields a receiver
    /// acts on (RFC 6376 §5.4.1), lower-cased as relaxed canonicalization wants them.
    static let signedFields = [
        "from", "to", "subject", "date", "message-id", "list-id", "list-unsubscribe",
        "list-unsubscribe-post", "mime-version", "content-type",
    ]
    private static let signedNames = signedFields.map { Array($0.utf8) }

    let settings: DKIMSettings
    let key: DKIMKey
    /// `v=1; a=…; c=relaxed/relaxed; d=…; s=…; t=`: the tags every signature starts with.
    private let leadingTags: [UInt8]

    package init(settings: DKIMSettings, key: DKIMKey) {
        self.settings = settings
        self.key = key
        leadingTags = Array(
            "v=1; a=\(settings.algorithm.rawValue); c=relaxed/relaxed; d=\(settings.domain); s=\(settings.selector); t=".utf8)
    }

    private static let fieldName = Array("DKIM-Signature:".utf8)
    private static let canonicalName = Array("dkim-signature".utf8)

    /// `message` with its DKIM-Signature; `now` is the `t=` tag.
    package func sign(_ message: [UInt8], now: Date = Date()) throws -> [UInt8] {
        // The signed fields, canonical, then (below) the signature field with an empty b=.
        var signed: [UInt8] = []
        var tags = leadingTags
        tags.reserveCapacity(leadingTags.count + 256)
        tags += String(Int(now.timeIntervalSince1970)).utf8
        tags += "; h=".utf8
        let bodyHash = message.withUnsafeBufferPointer { bytes in
            let (headerEnd, bodyStart) = Self.split(bytes)
            let header = UnsafeBufferPointer(rebasing: bytes[..<headerEnd])
            signed.reserveCapacity(headerEnd + 512)
            var names = 0
            // Each signed name takes its last instance (RFC 6376 §5.4.2); the digest has one of each.
            Self.signedNames.withUnsafeBufferPointer { signedNames in
                for (index, value) in Self.lastInstances(header).enumerated() {
                    guard let value else { continue }
                    if names > 0 { tags.append(UInt8(ascii: ":")) }
                    names += 1
                    tags += signedNames[index]
                    Self.appendRelaxed(name: signedNames[index], value: UnsafeBufferPointer(rebasing: header[value]), to: &signed)
                    signed += [0x0D, 0x0A]
                }
            }
            return RelaxedBodyHash.digest(UnsafeBufferPointer(rebasing: bytes[bodyStart...]))
        }
        tags += "; bh=".utf8
        Self.appendBase64(bodyHash.withUnsafeBytes { Data($0) }, to: &tags)
        tags += "; b=".utf8
        tags.withUnsafeBufferPointer { Self.appendRelaxed(name: Self.canonicalName, value: $0, to: &signed) }
        var signature: [UInt8] = []
        Self.appendBase64(try key.sign(SHA256.hash(data: signed)), to: &signature)
        var out: [UInt8] = []
        out.reserveCapacity(tags.count + signature.count + 64 + message.count)
        Self.appendFolded(tags, signature, to: &out)
        out += message
        return out
    }

    /// Foundation's base64 appended as bytes (a `Data` walked byte by byte through its
    /// iterator was a visible part of the signer's time).
    private static func appendBase64(_ data: Data, to out: inout [UInt8]) {
        data.base64EncodedData().withUnsafeBytes { out.append(contentsOf: $0) }
    }

    /// The field as written: `; ` separators and the signature broken into lines of at
    /// most 78 columns (relaxed canonicalization folds them back; base64 ignores the spaces).
    /// The tags and signature are ASCII, so bytes are columns.
    static func appendFolded(_ tags: [UInt8], _ signature: [UInt8], to out: inout [UInt8]) {
        out += fieldName
        var column = fieldName.count
        tags.withUnsafeBufferPointer { tags in
            var tagStart = 0
            while tagStart < tags.count {
                let tagEnd = tags[tagStart...].firstIndex(of: 0x20) ?? tags.count
                let count = tagEnd - tagStart
                if count > 0 {
                    if column + 1 + count > 78 {
                        out += [0x0D, 0x0A]
                        column = 0
                    }
                    out.append(0x20)
                    out += UnsafeBufferPointer(rebasing: tags[tagStart..<tagEnd])
                    column += 1 + count
                }
                tagStart = tagEnd + 1
            }
        }
        signature.withUnsafeBufferPointer { signature in
            var start = 0
            while start < signature.count {
                let count = min(max(8, 77 - column), signature.count - start)
                out += UnsafeBufferPointer(rebasing: signature[start..<start + count])
                column += count
                start += count
                if start < signature.count {
                    out += [0x0D, 0x0A, 0x20]
                    column = 1
                }
            }
        }
        out += [0x0D, 0x0A]
    }

    // MARK: - RFC 6376 §3.4 relaxed canonicalization

    /// Where the header ends (after its last field's CRLF) and the body starts: at the first
    /// empty line; without one, all is header.
    static func split(_ message: UnsafeBufferPointer<UInt8>) -> (headerEnd: Int, bodyStart: Int) {
        guard let base = message.baseAddress else { return (0, 0) }
        let n = message.count
        var from = 0
        while from + 3 < n, let hit = memchr(base + from, 0x0D, n - 3 - from) {
            let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if base[at + 1] == 0x0A, base[at + 2] == 0x0D, base[at + 3] == 0x0A { return (at + 2, at + 4) }
            from = at + 1
        }
        return (n, n)
    }

    /// For each signed name, the value of its last field in the header (after the colon,
    /// with its continuation lines), or nil. A line that is neither a field nor a
    /// continuation ends the field before it.
    static func lastInstances(_ header: UnsafeBufferPointer<UInt8>) -> [Range<Int>?] {
        var last = [Range<Int>?](repeating: nil, count: signedNames.count)
        guard let base = header.baseAddress else { return last }
        func find(_ byte: UInt8, from: Int, to end: Int) -> Int? {
            guard end > from, let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
        var current: (name: Int, start: Int)? = nil
        var sawField = false
        var i = 0
        let n = header.count
        while i < n {
            // The line [i, end): up to the next CRLF, or the end.
            var end = n
            var from = i
            while let cr = find(0x0D, from: from, to: n) {
                if cr + 1 < n, base[cr + 1] == 0x0A {
                    end = cr
                    break
                }
                from = cr + 1
            }
            let next = end < n ? end + 2 : n
            if end > i, base[i] == 0x20 || base[i] == 0x09, sawField {
                if let current { last[current.name] = current.start..<end }
            } else if let colon = find(UInt8(ascii: ":"), from: i, to: end) {
                sawField = true
                current = nil
                if let name = matchName(header, i..<colon) {
                    current = (name, colon + 1)
                    last[name] = colon + 1..<end
                }
            } else {
                current = nil
            }
            i = next
        }
        return last
    }

    /// The index in `signedNames` of the field name in `range`, spaces and tabs around it
    /// ignored, letters in any case.
    private static func matchName(_ header: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, header[lower] == 0x20 || header[lower] == 0x09 { lower += 1 }
        while upper > lower, header[upper - 1] == 0x20 || header[upper - 1] == 0x09 { upper -= 1 }
        let name = UnsafeBufferPointer(rebasing: header[lower..<upper])
        return signedNames.withUnsafeBufferPointer { signedNames in
            signedNames.indices.first { signedNames[$0].withUnsafeBufferPointer { ASCIICase.equals(name, lowercase: $0) } }
        }
    }

    /// `name:value`: unfolded, runs of spaces and tabs one space, none at either end of the value.
    static func appendRelaxed(name: [UInt8], value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out += name
        out.append(UInt8(ascii: ":"))
        var pendingSpace = false
        var started = false
        for byte in value where byte != 0x0D && byte != 0x0A {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = true
                continue
            }
            if pendingSpace, started { out.append(0x20) }
            pendingSpace = false
            started = true
            out.append(byte)
        }
    }
}
