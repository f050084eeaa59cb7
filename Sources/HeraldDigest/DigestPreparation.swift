import Foundation
import HeraldBase
import HeraldConfig

/// What composing a digest needs from the publication alone: its templates, compiled, its
/// labels and its date format (the run's first ICU formatter). Made on a thread of its own
/// from the moment it is created, while the caller reads the posts — reading a feed is
/// mostly one thread's work — and handed to `DigestComposer`, which otherwise makes the
/// same parts itself.
public final class DigestPreparation: Sendable {
    struct Parts: Sendable {
        let templates: TemplateSet
        let labels: Labels
        let dates: DigestDateFormat

        init(publication: Publication, templatesDirectory: URL?) throws(DigestError) {
            templates = try TemplateSet.locate(for: publication, templatesDirectory: templatesDirectory)
            labels = Labels(for: publication)
            dates = DigestDateFormat(language: publication.language, timeZone: publication.timeZone)
            // The formatter's first date loads the locale's ICU data: done here, off the caller's path.
            _ = dates.long(Date(timeIntervalSince1970: 0))
        }
    }

    /// What it was made for, so a composer cannot take parts made for another publication
    /// or from other default templates.
    let directory: URL
    let templatesDirectory: URL?
    private let work: Background<Result<Parts, DigestError>>

    /// Starts making the parts for `publication` (`templatesDirectory` as `DigestComposer` takes it).
    public init(publication: Publication, templatesDirectory: URL? = nil) {
        directory = publication.directory
        self.templatesDirectory = templatesDirectory
        work = Background {
            Result { () throws(DigestError) in try Parts(publication: publication, templatesDirectory: templatesDirectory) }
        }
    }

    /// The parts, once made; a template's error is thrown here, where the composer is made.
    func parts() throws(DigestError) -> Parts { try work.value.get() }
}
