import Foundation
import HeraldBase
import Testing

@Suite struct HexTests {
    /// Every byte as `%02x` and `%02X` write it, and `HexDigit` reads it back.
    @Test func everyByteIsTwoDigitsThatReadBack() {
        for value in 0...255 {
            let byte = UInt8(value)
            let lower = Hex.lowercase([byte])
            let upper = Hex.uppercase([byte])
            #expect(lower == String(format: "%02x", value))
            #expect(upper == String(format: "%02X", value))
            var appended: [UInt8] = [0x25]
            Hex.appendUppercase(byte, to: &appended)
            #expect(appended == Array("%\(upper)".utf8))
            let digits = Array(lower.utf8)
            #expect(HexDigit.value(digits[0])! << 4 | HexDigit.value(digits[1])! == byte)
        }
    }

    @Test func bytesInOrderHighNibbleFirst() {
        #expect(Hex.lowercase([0xAB, 0x01, 0x00, 0xFF]) == "ab0100ff")
        #expect(Hex.uppercase([0xAB, 0x01, 0x00, 0xFF]) == "AB0100FF")
        #expect(Hex.lowercase([]) == "")
    }
}
