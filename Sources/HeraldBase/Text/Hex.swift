/// Bytes as hexadecimal digits, two per byte, the high nibble first: tokens, digests and
/// boundaries (lower case), `%XX` and `=XX` escapes (upper case). `HexDigit` reads them back.
package enum Hex {
    /// `lowercase([0xAB, 0x01]) == "ab01"`.
    package static func lowercase(_ bytes: some Sequence<UInt8>) -> String { encode(bytes, uppercase: false) }

    /// `uppercase([0xAB, 0x01]) == "AB01"`.
    package static func uppercase(_ bytes: some Sequence<UInt8>) -> String { encode(bytes, uppercase: true) }

    /// Appends `byte`'s two upper-case digits to `out`, as escapes in bytes are built.
    package static func appendUppercase(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(digit(byte >> 4, uppercase: true))
        out.append(digit(byte & 0x0F, uppercase: true))
    }

    private static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digit(byte >> 4, uppercase: uppercase))
            out.append(digit(byte & 0x0F, uppercase: uppercase))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digit of `nibble` (0...15).
    private static func digit(_ nibble: UInt8, uppercase: Bool) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }
}
