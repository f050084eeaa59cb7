import Synchronization
import Yams

/// Every label table Herald carries (`templates/labels/*.yml`, embedded as `LabelFiles`), read once,
/// and the choice of a table for a language tag.
package enum LabelTables {
    /// The table every other falls back to and is held to (same keys).
    package static let fallback = "en"

    /// The tables there are, by name (`zh-Hant`), known without reading any.
    package static let names: Set<String> = Set(
        LabelFiles.files.keys.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) })

    /// Tables read so far. A command uses one or two of the many tables, and parsing all
    /// of them was a noticeable part of a digest preview's start.
    private static let parsed = Mutex<[String: [String: String]]>([:])

    /// The table called `name` (`zh-Hant`): key → text; nil when there is none. A file that
    /// does not read as a mapping of strings is a build defect, which the tests catch; it
    /// reads as no table rather than crash.
    package static func named(_ name: String) -> [String: String]? {
        if let table = parsed.withLock({ $0[name] }) { return table }
        guard let text = LabelFiles.files[name + ".yml"], let table = try? parse(text) else { return nil }
        parsed.withLock { $0[name] = table }
        return table
    }

    /// Every table, read (for the tests that hold the tables to each other).
    package static var all: [String: [String: String]] {
        Dictionary(uniqueKeysWithValues: names.compactMap { name in named(name).map { (name, $0) } })
    }

    /// `text` (one `templates/labels/*.yml`) as key → label; throws when it is not a flat mapping of strings.
    package static func parse(_ text: String) throws -> [String: String] {
        guard case .mapping(let mapping)? = try Yams.compose(yaml: text, Resolver.basic) else { throw LabelFileError.notAMapping }
        var table: [String: String] = [:]
        for (key, value) in mapping {
            guard let key = key.scalar?.string, let value = value.scalar?.string else { throw LabelFileError.notAMapping }
            table[key] = value
        }
        return table
    }

    /// The table for a BCP 47 tag: the tag itself if there is one (`pt-BR`), else its
    /// language with its script (`zh-Hant`, given or implied by a Traditional Chinese
    /// region: TW, HK, MO), else its language (`zh`), else English.
    package static func table(for tag: String) -> String {
        let subtags = tag.split(separator: "-").map(String.init)
        guard let language = subtags.first?.lowercased() else { return fallback }
        let rest = subtags.dropFirst()
        var script = rest.first { $0.count == 4 && $0.allSatisfy(\.isLetter) }.map {
            $0.prefix(1).uppercased() + $0.dropFirst().lowercased()
        }
        let region = rest.first { $0.count == 2 && $0.allSatisfy(\.isLetter) }?.uppercased()
        if language == "zh", script == nil, let region, ["TW", "HK", "MO"].contains(region) { script = "Hant" }
        let candidates = [
            ([language] + [script, region].compactMap { $0 }).joined(separator: "-"),
            ([language] + [region].compactMap { $0 }).joined(separator: "-"),
            ([language] + [script].compactMap { $0 }).joined(separator: "-"),
            language,
        ]
        return candidates.first { names.contains($0) } ?? fallback
    }
}

package enum LabelFileError: Error { case notAMapping }
