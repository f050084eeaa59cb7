import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

/// A Hugo site's taxonomy terms as Hugo makes them, so each term's feed sits in the folder of
/// Hugo's own term page: the term's key is Hugo's (letters, digits and marks of any script
/// kept, spaces made hyphens, lower-cased unless the site keeps case), so `Service mesh` and
/// `service-mesh` are one term in `service-mesh/`. Hugo titles the term with the name as
/// written on the first page that uses it, in the order of the pages' paths.
struct HugoTerms {
    struct Term {
        /// Below the taxonomy's folder; `a/b` for the term `a/b`, as Hugo nests it.
        let folder: String
        var title: String
        /// The content path of the page the title comes from.
        var titleSource: String
        var entries: [PostMeta] = []

        /// `meta` as a page that names this term `name`.
        mutating func add(_ meta: PostMeta, name: String, limit: Int) {
            // Two names of one page may make one key (`Go`, `go`): the page is in its feed once.
            if entries.count < limit, entries.last?.source != meta.source { entries.append(meta) }
            // Hugo walks its pages by path, and a page's later use of a key replaces its earlier one.
            if meta.source <= titleSource {
                title = name
                titleSource = meta.source
            }
        }
    }

    /// One file name of a folder at most this long (Linux's NAME_MAX).
    static let maxComponentBytes = 255

    private(set) var terms: [String: Term] = [:]
    /// Names that make no folder, each said once.
    private(set) var notes: [String] = []
    private var refused: Set<String> = []
    /// Each name's folder (nil: none), made once: 10,000 pages name the same few dozen terms.
    private var folders: [String: String?] = [:]
    let rules: HugoURLRules
    let taxonomy: String
    let limit: Int

    init(taxonomy: String, rules: HugoURLRules, limit: Int) {
        self.taxonomy = taxonomy
        self.rules = rules
        self.limit = limit
    }

    /// `meta` comes newest first, so the first `limit` of a term are its feed's.
    mutating func add(_ names: [String], of meta: PostMeta) {
        for name in names {
            let made: String?
            if let known = folders[name] {
                made = known
            } else {
                made = Self.folder(rules.termKey(name))
                folders[name] = made
            }
            guard let folder = made else {
                if refused.insert(name).inserted { refuse(name, of: meta) }
                continue
            }
            if terms[folder] != nil {
                // Changed in place: a copy of the term taken out and put back copied its list
                // of entries at every page, all of them in a feed of all entries.
                terms[folder]!.add(meta, name: name, limit: limit)
            } else {
                terms[folder] = Term(folder: folder, title: name, titleSource: meta.source, entries: limit > 0 ? [meta] : [])
            }
        }
    }

    /// The key as a relative folder, nil when it makes none that stays below the taxonomy:
    /// empty (`!!!`), a `..` part, or a part longer than a file name may be. Empty and `.`
    /// parts are dropped, as Hugo's path joining drops them.
    static func folder(_ key: String) -> String? {
        var parts: [Substring] = []
        for part in key.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            guard part != "..", part.utf8.count <= maxComponentBytes else { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    private mutating func refuse(_ name: String, of meta: PostMeta) {
        let shown = Self.shown(name)
        let key = rules.termKey(name)
        let why =
            key.split(separator: "/").contains { $0.utf8.count > Self.maxComponentBytes }
            ? "its folder name would be longer than \(Self.maxComponentBytes) bytes"
            : key.split(separator: "/").contains("..")
                ? "it names a parent folder (..)"
                : "it has no letter or digit, so Hugo makes no page for it"
        notes.append("warning: \(meta.source): \(taxonomy) \"\(shown)\" gets no feed: \(why)")
    }

    /// A name fit for one line of a message: controls as `\u{…}`, at most 80 characters.
    static func shown(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars.prefix(80) {
            if scalar.properties.generalCategory == .control {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return name.unicodeScalars.count > 80 ? out + "…" : out
    }

    /// The folder as a URL path: unreserved characters, sub-delimiters and `/` as they are,
    /// everything else (a `%` or `#` of the name included) percent-encoded UTF-8, so the URL
    /// leads to the folder Hugo wrote.
    static func urlPath(_ folder: String) -> String {
        var out = ""
        for byte in folder.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where "-._~!$&'()*+,;=:@/".utf8.contains(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + Hex.uppercase([byte])
            }
        }
        return out
    }
}
