import Foundation
import HeraldBase
import HeraldConfig
import HeraldDigest

/// The digest archive's index (`archive/index.html`) from the first build on, so the
/// archive link a site or a first digest carries never answers 404. Only a publication
/// that sends digests (`smtp.url`) has an archive. An index already there is left alone:
/// `herald send` rewrites it with every digest, and it lists them.
public struct PublishArchiveIndex {
    let publication: Publication
    let site: SiteLayout

    public init(publication: Publication, site: SiteLayout) {
        self.publication = publication
        self.site = site
    }

    /// Writes the empty index if there is none; returns a warning when it cannot (the
    /// feeds matter more than this page, and the next build tries again).
    public func run() -> String? {
        guard publication.smtp.url != nil else { return nil }
        let file = site.archiveIndexFile
        guard !FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            let page = try ArchiveIndexPage.empty(for: publication)
            // A templates folder of its own may have no archive.html: then there is no index.
            guard !page.isEmpty else { return nil }
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try AtomicFile.write(Data(page.utf8), to: file.path)
            return nil
        } catch {
            return "warning: archive index \(file.path) not written: \(error)"
        }
    }
}
