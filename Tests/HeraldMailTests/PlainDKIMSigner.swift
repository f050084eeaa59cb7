import Crypto
import Foundation
import HeraldConfig

@testable import HeraldMail

/// The signer as first written, the plain way (strings per field, a canonical copy of the
/// body): what `DKIMSigner`'s in-place version is held to, byte for byte. One fix kept in
/// both: only the spaces after the name's colon are dropped, not those after a colon in the value.
struct PlainDKIMSigner {
    let signer: DKIMSigner

    func sign(_ message: [UInt8], now: Date) throws -> [UInt8] {
        let settings = signer.settings
        let (header, body) = Self.split(message)
        let fields = Self.fields(of: header)
        let bodyHash = Data(SHA256.hash(data: Self.relaxedBody(body))).base64EncodedString()
        var present: [String] = []
        var canonical: [UInt8] = []
        for name in DKIMSigner.signedFields {
            guard let field = fields.last(where: { $0.name == name }) else { continue }
            present.append(name)
            canonical += Self.relaxedField(name: name, value: field.value) + [0x0D, 0x0A]
        }
        let tags =
            "v=1; a=\(settings.algorithm.rawValue); c=relaxed/relaxed; d=\(settings.domain); "
            + "s=\(settings.selector); t=\(Int(now.timeIntervalSince1970)); h=\(present.joined(separator: ":")); "
            + "bh=\(bodyHash); b="
        canonical += Self.relaxedField(name: "dkim-signature", value: Array(tags.utf8))
        let signature = try signer.key.sign(SHA256.hash(data: canonical)).base64EncodedString()
        return Array(Self.folded(tags, signature).utf8) + message
    }

    static func folded(_ tags: String, _ signature: String) -> String {
        var lines: [String] = []
        var line = "DKIM-Signature:"
        for tag in tags.split(separator: " ") {
            if line.count + 1 + tag.count > 78 {
                lines.append(line)
                line = ""
            }
            line += " " + tag
        }
        var rest = Substring(signature)
        while !rest.isEmpty {
            let room = max(8, 77 - line.count)
            line += rest.prefix(room)
            rest = rest.dropFirst(room)
            if !rest.isEmpty {
                lines.append(line)
                line = " "
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: - RFC 6376 §3.4 relaxed canonicalization

    static func split(_ message: [UInt8]) -> (header: ArraySlice<UInt8>, body: ArraySlice<UInt8>) {
        var i = 0
        while i + 3 < message.count {
            if message[i] == 0x0D, message[i + 1] == 0x0A, message[i + 2] == 0x0D, message[i + 3] == 0x0A {
                return (message[..<(i + 2)], message[(i + 4)...])
            }
            i += 1
        }
        return (message[...], [])
    }

    /// The header's fields, continuation lines joined to theirs; names lower-cased.
    static func fields(of header: ArraySlice<UInt8>) -> [(name: String, value: [UInt8])] {
        var fields: [(name: String, value: [UInt8])] = []
        for line in lines(header) {
            if let first = line.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                fields[fields.count - 1].value += [0x0D, 0x0A] + line
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                fields.append((name.trimmingCharacters(in: .whitespaces).lowercased(), Array(line[(colon + 1)...])))
            }
        }
        return fields
    }

    /// `name:value`: unfolded, runs of spaces and tabs one space, none at either end.
    static func relaxedField(name: String, value: [UInt8]) -> [UInt8] {
        var out = Array(name.utf8) + [UInt8(ascii: ":")]
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
        return out
    }

    /// Each line with its runs of spaces and tabs one space and none at its end; empty
    /// lines at the end dropped; CRLF after the last line. One pass into one buffer: it runs
    /// over every message's whole body (`DKIMSignerTests` hold it to the rule line by line).
    static func relaxedBody(_ body: ArraySlice<UInt8>) -> [UInt8] {
        body.withUnsafeBufferPointer { bytes in
            // The result is never longer than the body and a final CRLF.
            [UInt8](unsafeUninitializedCapacity: bytes.count + 2) { out, count in
                var o = 0
                func put(_ byte: UInt8) {
                    out[o] = byte
                    o += 1
                }
                var pendingSpace = false
                var lineHasText = false
                var emptyLines = 0
                var i = 0
                while i < bytes.count {
                    let byte = bytes[i]
                    if byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                        if lineHasText {
                            put(0x0D)
                            put(0x0A)
                        } else {
                            emptyLines += 1
                        }
                        pendingSpace = false
                        lineHasText = false
                        i += 2
                        continue
                    }
                    if byte == 0x20 || byte == 0x09 {
                        pendingSpace = true
                    } else {
                        if !lineHasText {
                            for _ in 0..<emptyLines {
                                put(0x0D)
                                put(0x0A)
                            }
                            emptyLines = 0
                            lineHasText = true
                        }
                        if pendingSpace {
                            put(0x20)
                            pendingSpace = false
                        }
                        put(byte)
                    }
                    i += 1
                }
                if lineHasText {
                    put(0x0D)
                    put(0x0A)
                }
                count = o
            }
        }
    }

    /// Lines split at CRLF, without it (a final line without CRLF counts too).
    private static func lines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            if bytes[i] == 0x0D, i + 1 < bytes.endIndex, bytes[i + 1] == 0x0A {
                result.append(bytes[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.endIndex { result.append(bytes[start...]) }
        return result
    }
}
