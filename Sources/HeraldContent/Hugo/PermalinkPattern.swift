import Foundation

/// A `[permalinks]` pattern (or herald.yml's `permalink:`) with Hugo's tokens, as Debian's
/// hugo 0.111 expands them (resources/page/permalinks.go): `:year :month :monthname :day
/// :weekday :weekdayname :yearday :section :sections :sections[a:b] :title :slug
/// :slugorfilename :filename`, and any Go date layout such as `:2006` or `:Jan`.
public struct PermalinkPattern: Sendable, Equatable {
    public let pattern: String
    private let tokens: [Token]
    /// Each token's text in the pattern (`:year`, `:sections[1:]`), in order.
    private let texts: [String]

    enum Token: Sendable, Equatable {
        case year, month, monthname, day, weekday, weekdayname, yearday
        case section, sections, title, slug, slugOrFilename, filename
        case sectionsSlice(String)
        case goLayout(String)

        var isDate: Bool {
            switch self {
            case .year, .month, .monthname, .day, .weekday, .weekdayname, .yearday, .goLayout: true
            default: false
            }
        }
    }

    public struct Invalid: Error, Equatable {
        public let message: String
    }

    /// The page facts a pattern reads.
    public struct Facts {
        public var title: String
        public var slug: String?
        public var date: Date
        public var utcOffset: Int
        public var page: HugoPage

        public init(title: String, slug: String?, date: Date, utcOffset: Int, page: HugoPage) {
            self.title = title
            self.slug = slug
            self.date = date
            self.utcOffset = utcOffset
            self.page = page
        }
    }

    public init(_ pattern: String) throws(Invalid) {
        self.pattern = pattern
        // Hugo's validate: no empty segment followed by another (`/:year//:title`).
        let fragments = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if let empty = fragments.firstIndex(where: \.isEmpty), empty < fragments.count - 1 {
            throw Invalid(message: "permalink \"\(pattern)\" is ill-formed: it has an empty segment")
        }
        var tokens: [Token] = []
        texts = Self.matches(in: pattern)
        for match in texts {
            let name = String(match.dropFirst())
            guard let token = Self.token(name) else {
                throw Invalid(message: "permalink \"\(pattern)\": \":\(name)\" is not a permalink token Hugo knows")
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// The pattern filled in for a page, before Hugo's path clean-up (see `HugoPermalink`);
    /// nil when Hugo's own expansion would come out empty.
    func expand(_ facts: Facts, rules: HugoURLRules) -> String? {
        guard !tokens.isEmpty else { return pattern }
        var result = Array(pattern.utf8)
        let day = tokens.contains(where: \.isDate) ? GoTime(date: facts.date, utcOffset: facts.utcOffset) : nil
        for (match, token) in zip(texts, tokens) {
            let value = self.value(token, facts, rules, day)
            // Hugo replaces the first occurrence of each token's text, in order.
            if let at = Self.firstIndex(of: Array(match.utf8), in: result) {
                result.replaceSubrange(at..<(at + match.utf8.count), with: value.utf8)
            }
        }
        return HugoURLRules.queryUnescape(String(decoding: result, as: UTF8.self))
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    private func value(_ token: Token, _ f: Facts, _ rules: HugoURLRules, _ time: GoTime?) -> String {
        guard let day = time ?? (token.isDate ? GoTime(date: f.date, utcOffset: f.utcOffset) : nil) else {
            return textValue(token, f, rules)
        }
        switch token {
        case .year: return String(day.year)
        case .month: return GoTime.pad(day.month, 2)
        case .monthname: return GoTime.monthNames[day.month - 1]
        case .day: return GoTime.pad(day.day, 2)
        case .weekday: return String(day.weekday)
        case .weekdayname: return GoTime.dayNames[day.weekday]
        case .yearday: return String(day.yearday)
        case .goLayout(let layout): return day.format(layout)
        default: return textValue(token, f, rules)
        }
    }

    private func textValue(_ token: Token, _ f: Facts, _ rules: HugoURLRules) -> String {
        switch token {
        case .section: return f.page.section
        case .sections: return Self.join(f.page.sections)
        case .sectionsSlice(let cut): return Self.join(Self.slice(f.page.sections, cut))
        // Hugo urlizes these (sanitize, then escape) and then query-unescapes the whole
        // pattern; unescaping undoes any escaping, so the escape step is left out here.
        case .title: return rules.sanitizedPath(f.title)
        case .slug: return rules.sanitizedPath(f.slug.flatMap { $0.isEmpty ? nil : $0 } ?? f.title)
        case .slugOrFilename: return rules.sanitizedPath(f.slug.flatMap { $0.isEmpty ? nil : $0 } ?? f.page.baseName)
        case .filename: return rules.sanitizedPath(f.page.baseName)
        default: return ""
        }
    }

    /// Go's path.Join of the sections (empty ones dropped).
    private static func join(_ parts: [String]) -> String { parts.filter { !$0.isEmpty }.joined(separator: "/") }

    /// Hugo's toSliceFunc: `[1:]`, `[:2]`, `[0]`, `[last]`, lenient about bounds.
    static func slice(_ s: [String], _ cut: String) -> [String] {
        let c = cut.trimmingCharacters(in: .whitespaces).lowercased()
        guard c.count >= 3, c.hasPrefix("["), c.hasSuffix("]") else { return [] }
        let ops = String(c.dropFirst().dropLast())
        func index(_ o: String, low: Bool) -> Int {
            if o.isEmpty { return low ? 0 : s.count }
            if o == "last" { return s.count - 1 }
            return min(max(Int(o) ?? 0, 0), s.count)
        }
        guard !s.isEmpty else { return [] }
        guard ops.contains(":") else {
            let i = index(ops, low: true)
            guard i >= 0, i < s.count, !s[i].isEmpty else { return [] }
            return [s[i]]
        }
        let parts = ops.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let lo = index(parts[0], low: true)
        let hi = index(parts.count > 1 ? parts[1] : "", low: false)
        guard lo >= 0, lo <= hi, hi <= s.count else { return [] }
        return Array(s[lo..<hi])
    }

    private static func token(_ name: String) -> Token? {
        switch name {
        case "year": return .year
        case "month": return .month
        case "monthname": return .monthname
        case "day": return .day
        case "weekday": return .weekday
        case "weekdayname": return .weekdayname
        case "yearday": return .yearday
        case "section": return .section
        case "sections": return .sections
        case "title": return .title
        case "slug": return .slug
        case "slugorfilename": return .slugOrFilename
        case "filename": return .filename
        default:
            if name.hasPrefix("sections[") { return .sectionsSlice(String(name.dropFirst("sections".count))) }
            // Hugo takes any other word that formats the reference time differently as a Go layout.
            return GoTime.isLayout(name) ? .goLayout(name) : nil
        }
    }

    /// Hugo's `:\w+(\[.+?\])?`.
    static func matches(in pattern: String) -> [String] {
        let s = Array(pattern.unicodeScalars)
        var found: [String] = []
        var i = 0
        func isWord(_ r: Unicode.Scalar) -> Bool {
            r.isASCII && (r.properties.isAlphabetic || ("0"..."9").contains(r) || r == "_")
        }
        while i < s.count {
            guard s[i] == ":", i + 1 < s.count, isWord(s[i + 1]) else {
                i += 1
                continue
            }
            var j = i + 1
            while j < s.count, isWord(s[j]) { j += 1 }
            if j < s.count, s[j] == "[", j + 2 < s.count, let close = s[(j + 2)...].firstIndex(of: "]") {
                j = close + 1
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: s[i..<j])
            found.append(String(text))
            i = j
        }
        return found
    }
}
