import Yams

/// Every label table Herald carries (`templates/labels/*.yml`, embedded as `LabelFiles`), read once,
/// and the choice of a table for a language tag.
package enum LabelTables {
    /// The table every other falls back to and is held to (same keys).
    package static let fallback = "en"

    /// Table name (`zh-Hant`) → key → text. A file that does not read as a mapping of
    /// strings is a build defect, which the tests catch; it is left out rather than crash.
    package static let all: [String: [String: String]] = {
        var tables: [String: [String: String]] = [:]
        for (file, text) in LabelFiles.files where file.hasSuffix(".yml") {
            guard let table = try? parse(text) else { continue }
            tables[String(file.dropLast(4))] = table
        }
        return tables
    }()

    /// `text` (one `templates/labels/*.yml`) as key → label; throws when it is not a flat mapping of strings.
    package static func parse(_ text: String) throws -> [String: String] {
        guard case .mapping(let mapping)? = try Yams.compose(yaml: text) else { throw LabelFileError.notAMapping }
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
        return candidates.first { all[$0] != nil } ?? fallback
    }
}

package enum LabelFileError: Error { case notAMapping }
