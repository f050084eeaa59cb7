/// RFC 3492 Punycode, encoding only: turns an internationalized domain label
/// into the ASCII `xn--` form that headers and SMTP envelopes need.
package enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700

    /// `bücher` → `bcher-kva` (without the `xn--` prefix); nil on overflow.
    static func encode(_ label: String) -> String? {
        let code = label.unicodeScalars.map { Int($0.value) }
        var output = String(label.unicodeScalars.filter(\.isASCII).map(Character.init))
        let basic = output.count
        var handled = basic
        if basic > 0 { output += "-" }
        var n = 128, delta = 0, bias = 72
        while handled < code.count {
            guard let next = code.filter({ $0 >= n }).min() else { return nil }
            let (step, overflow) = (next - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= Int(Int32.max) - step else { return nil }
            delta += step
            n = next
            for c in code {
                if c < n { delta += 1 }
                guard c == n else { continue }
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
                bias = adapt(delta, points: handled + 1, first: handled == basic)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return output
    }

    /// An address with its domain in ASCII form for the SMTP envelope; the local
    /// part is left alone. Done here rather than by libcurl, whose conversion
    /// depends on the process locale (C in a service) and then sends raw UTF-8.
    package static func asciiAddress(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address }
        let domain = String(address[address.index(after: at)...])
        guard !domain.unicodeScalars.allSatisfy(\.isASCII), let ascii = asciiDomain(domain) else { return address }
        return address[..<at] + "@" + ascii
    }

    /// A domain in its ASCII form: each non-ASCII label as `xn--…`, lower-cased;
    /// the ideographic full stops some keyboards type count as dots.
    package static func asciiDomain(_ domain: String) -> String? {
        let dots: Set<Character> = ["\u{3002}", "\u{FF0E}", "\u{FF61}"]
        let normalized = String(domain.map { dots.contains($0) ? "." : $0 }).lowercased()
        var labels: [String] = []
        for label in normalized.split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) { labels.append(String(label)); continue }
            guard let encoded = encode(String(label)) else { return nil }
            labels.append("xn--" + encoded)
        }
        return labels.joined(separator: ".")
    }

    private static func digit(_ d: Int) -> Character {
        Character(UnicodeScalar(UInt8(d < 26 ? 97 + d : 22 + d)))
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
