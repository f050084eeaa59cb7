import Foundation

/// RFC 3492 Punycode, for IDN domains on the SMTP envelope: `bücher.example` →
/// `xn--bcher-kva.example`. Done here rather than by libcurl, whose conversion
/// depends on the process locale (C in a service) and then sends raw UTF-8.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 128

    /// The ASCII form of a domain: non-ASCII labels become `xn--…`, others stay.
    static func asciiDomain(_ domain: String) -> String {
        domain.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            let lower = label.lowercased()
            guard !lower.unicodeScalars.allSatisfy(\.isASCII) else { return lower }
            return "xn--" + encode(Array(lower.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)))
        }.joined(separator: ".")
    }

    /// An address with its domain in ASCII form; the local part is left alone.
    static func asciiAddress(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address }
        let domain = address[address.index(after: at)...]
        guard !domain.unicodeScalars.allSatisfy(\.isASCII) else { return address }
        return address[..<at] + "@" + asciiDomain(String(domain))
    }

    static func encode(_ input: [UInt32]) -> String {
        var output = input.filter { $0 < 0x80 }.map { Character(Unicode.Scalar($0)!) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = UInt32(initialN), delta = 0, bias = initialBias
        while handled < input.count {
            let m = input.filter { $0 >= n }.min()!
            delta += Int(m - n) * (handled + 1)
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    private static func digit(_ d: Int) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
    }

    private static func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
        var d = first ? delta / damp : delta / 2
        d += d / count
        var k = 0
        while d > ((base - tMin) * tMax) / 2 { d /= base - tMin; k += base }
        return k + (base - tMin + 1) * d / (d + skew)
    }
}
