import Foundation
import HeraldConfig
import HeraldDigest
import HeraldFeeds
import HeraldServe
import Testing

/// The digest's, the feed page's and serve's built-in templates against the label tables.
@Suite struct TemplateLabelsTests {
    /// Every `{{labels.KEY}}` the built-in templates say is in the tables.
    @Test func everyLabelTheTemplatesUseExists() throws {
        let english = try #require(LabelTables.all["en"])
        let templates = DefaultTemplates.files.merging(ServeTemplates.files) { a, _ in a }
            .merging(FeedTemplates.files) { a, _ in a }
        var used: Set<String> = []
        for (name, text) in templates {
            let regex = try Regex(#"\{\{\s*labels\.([a-z_]+)\s*\}\}"#)
            for match in text.matches(of: regex) {
                let key = String(text[match.output[1].range!])
                used.insert(key)
                #expect(english[key] != nil, "\(name) uses labels.\(key), which templates/labels/en.yml lacks")
            }
        }
        #expect(used.contains("feed_notice") && used.contains("read_more") && used.contains("subscribe_button"))
    }
}
