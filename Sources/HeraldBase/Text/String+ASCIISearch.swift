import Foundation

extension String {
    /// `contains(String(character))` for an ASCII character, answered as Foundation answers
    /// it, with a byte scan first. Foundation's search costs many times the scan, and most
    /// strings asked (titles, summaries, raw HTML) do not hold the byte at all; when one does,
    /// Foundation still decides, because it does not count a character that a combining
    /// mark follows (`"<\u{338}"`), and what a post turns into must not change.
    package func contains(ascii character: Unicode.Scalar) -> Bool {
        precondition(character.isASCII)
        return utf8.contains(UInt8(character.value)) && contains(String(character))
    }
}
