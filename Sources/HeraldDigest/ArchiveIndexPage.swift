import Foundation
import HeraldConfig

/// The archive's index page before the first digest: the same `archive.html` template,
/// with no digest to list, so the archive link in the site and in the first digest never
/// answers 404. `DigestComposer.archiveIndex` renders it once digests exist.
public enum ArchiveIndexPage {
    /// The page, or "" when the publication's own templates have no `archive.html`.
    public static func empty(for publication: Publication, templatesDirectory: URL? = nil) throws(DigestError) -> String {
        let templates = try TemplateSet.locate(for: publication, templatesDirectory: templatesDirectory)
        let dates = DigestDateFormat(language: publication.language, timeZone: publication.timeZone)
        let now = Date()
        let dateText = DigestComposer.DateText(long: dates.long(now), iso: dates.iso(now), header: dates.rfc5322(now))
        var context = DigestComposer.context(
            publication: publication, number: 0, subject: "", posts: [], dates: dateText,
            labels: DigestComposer.digestLabels(Labels(for: publication), number: 0), preview: false, forTextPart: false)
        context["digests"] = [[String: Any]]()
        context["digest"] = nil // there is no digest: a template naming one gets nothing rather than a made-up #0
        return templates.render(TemplateSet.archiveIndex, context)
    }
}
