/// Text made safe for a terminal or a one-record-per-line file: control characters
/// (C0, DEL, C1) become visible escapes (`\n`, `\t`, `\r`, `\x1b`) and a backslash is
/// doubled, so nothing a subscriber typed into a name can move the cursor, recolour the
/// terminal or start a new row, and the escaped text still says exactly what was stored.
package enum ControlEscaping {
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where isControl(scalar):
                out +=
                    scalar.value < 0x100
                    ? "\\x" + Hex.lowercase([UInt8(scalar.value)])
                    : "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool { scalar == "\\" || isControl(scalar) }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
