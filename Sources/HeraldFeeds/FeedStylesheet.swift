import Foundation
import HeraldBase
import HeraldConfig

/// `feed.xsl`: the XSLT stylesheet a browser applies to the feeds that name it
/// (`<?xml-stylesheet?>`), so a feed opened by a person reads as a page. One file in the
/// output folder's root, made from `templates/feed/feed.xsl` with the publication's labels:
/// its bytes change only with the language or Herald itself, both in the build fingerprint.
package enum FeedStylesheet {
    /// A publication's own `templates/feed.xsl`, which replaces the built-in one (its bytes
    /// are in the build fingerprint, so editing it rebuilds).
    static func override(for publication: Publication) -> URL {
        publication.directory.appendingPathComponent("templates/\(FeedFileNames.stylesheet)")
    }

    /// The built-in stylesheet as `herald templates export` writes it (labels not filled in).
    package static var builtIn: [String: String] {
        [FeedFileNames.stylesheet: FeedTemplates.files[FeedFileNames.stylesheet] ?? ""]
    }

    /// The stylesheet for `publication`: `{{labels.KEY}}` and `{{language}}` filled in, as XML text.
    static func document(for publication: Publication) -> String {
        let labels = Labels(language: publication.language)
        var text = (try? String(contentsOf: override(for: publication), encoding: .utf8))
            ?? FeedTemplates.files[FeedFileNames.stylesheet] ?? ""
        text = text.replacingOccurrences(of: "{{language}}", with: HTMLEscaping.text(publication.language))
        for (key, value) in labels.values {
            text = text.replacingOccurrences(of: "{{labels.\(key)}}", with: HTMLEscaping.text(value))
        }
        return text
    }

    /// The processing instruction's content for a feed in `directory` (relative to the
    /// output folder): a relative href, because browsers apply only a same-origin
    /// stylesheet and the folder may be served under any address.
    static func instruction(forFeedIn directory: String) -> String {
        let up = directory.split(separator: "/").map { _ in "../" }.joined()
        return "type=\"text/xsl\" href=\"\(up)\(FeedFileNames.stylesheet)\""
    }
}
