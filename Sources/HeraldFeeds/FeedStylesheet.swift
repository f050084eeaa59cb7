import Foundation
import HeraldBase
import HeraldConfig
import Mustache

/// `feed.xsl`: the XSLT stylesheet a browser applies to the feeds that name it
/// (`<?xml-stylesheet?>`), so a feed opened by a person reads as a page. One file in the
/// output folder's root, made from `templates/feed/feed.xsl` with the publication's labels:
/// its bytes change only with the language or Herald itself, both in the build fingerprint.
package enum FeedStylesheet {
    /// A publication's own `templates/feed.xsl`, which replaces the built-in one (its bytes
    /// are in the build fingerprint, so editing it rebuilds).
    static func override(for publication: Publication) -> URL {
        publication.directory.appendingPathComponent("templates/\(SiteLayout.Name.stylesheet)")
    }

    /// The built-in stylesheet as `herald templates export` writes it (labels not filled in).
    package static var builtIn: [String: String] {
        [SiteLayout.Name.stylesheet: FeedTemplates.files[SiteLayout.Name.stylesheet] ?? ""]
    }

    /// The stylesheet for `publication`: a Mustache template given `{{language}}`,
    /// `{{labels.KEY}}`, `{{subscribe}}` (the email subscribe page), every value XML-escaped
    /// (`XMLContent`), and `{{{style}}}`, feed.css as it is.
    static func document(for publication: Publication) throws(SourceProblem) -> String {
        let own = override(for: publication)
        let (text, path) =
            (try? String(contentsOf: own, encoding: .utf8)).map { ($0, own.path) }
            ?? (FeedTemplates.files[SiteLayout.Name.stylesheet] ?? "", "templates/feed/\(SiteLayout.Name.stylesheet)")
        let template: MustacheTemplate
        XMLContent.registered
        do {
            // The pragma goes on the first line, so a parse error's line is the file's.
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: \(XMLContent.name)}}" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw SourceProblem(path: path, line: error.context.lineNumber, message: "\(error.error)")
        } catch {
            throw SourceProblem(path: path, message: "\(error)")
        }
        let labels = Labels(for: publication)
        return template.render([
            "language": publication.language, "labels": labels.values,
            "subscribe": SiteLayout(publication: publication).url(.subscribe), "style": style,
        ])
    }

    /// The CSS of the feed's page, whether XSLT or `FeedPage` makes it.
    static var style: String { FeedTemplates.files["feed.css"] ?? "" }

    /// The processing instruction's content for a feed in `directory`, with the stylesheet
    /// in `folder` (both relative to the site's folder, `folder` empty or ending in a slash):
    /// a relative href, because browsers apply only a same-origin stylesheet and the site
    /// may be served under any address.
    static func instruction(forFeedIn directory: String, stylesheetIn folder: String = "") -> String {
        var from = directory.split(separator: "/")
        var to = folder.split(separator: "/")
        while let a = from.first, let b = to.first, a == b {
            from.removeFirst()
            to.removeFirst()
        }
        let up = from.map { _ in "../" }.joined()
        let down = to.map { $0 + "/" }.joined()
        return "type=\"text/xsl\" href=\"\(up)\(down)\(SiteLayout.Name.stylesheet)\""
    }
}

/// How `{{…}}` escapes in feed.xsl. XSL is XML: `&` `<` `>` would break it and `"` would end
/// an attribute, so those four are escaped; Mustache's own HTML escaping would also write `'`
/// as `&#39;`, the same text in other bytes.
private struct XMLContent: MustacheContentType {
    static let name = "XML"
    /// Mustache knows a content type by name once registered; the first render registers it.
    static let registered: Void = MustacheContentTypes.register(XMLContent(), named: name)

    func escapeText(_ text: String) -> String { HTMLEscaping.attribute(text) }
}
