import Foundation

/// RFC 2045 quoted-printable decoding, written independently of Herald's encoder.
public enum PlainQuotedPrintable {
    public static func decode(_ qp: String) -> String? {
        var bytes: [UInt8] = []
        let lines = qp.components(separatedBy: "\r\n")
        for (index, line) in lines.enumerated() {
            var chars = Array(line.utf8)
            let soft = chars.last == UInt8(ascii: "=")
            if soft { chars.removeLast() }
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "=") {
                    guard i + 2 < chars.count,
                        let byte = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
                    else { return nil }
                    bytes.append(byte)
                    i += 3
                } else {
                    bytes.append(chars[i])
                    i += 1
                }
            }
            if !soft, index < lines.count - 1 { bytes += [13, 10] }
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}
