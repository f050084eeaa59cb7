import Foundation
import HeraldDigest
import HeraldFeeds

/// `herald templates export`: the built-in digest templates and feed page into a folder,
/// keeping any file already there.
public enum ExportTemplates {
    public static func run(into directory: URL) throws -> (written: [String], kept: [String]) {
        let result = try TemplateLocator.exportBuiltIn(to: directory, others: FeedStylesheet.builtIn)
        return (result.written, result.skipped)
    }
}
