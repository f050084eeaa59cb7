import Foundation
import HeraldConfig
import HeraldMail
import HeraldTestSupport
import Testing

@testable import HeraldDigest

@Suite struct TemplateSetTests {
    let dir: TempDir
    let publication: Publication

    init() throws {
        dir = try TempDir()
        publication = try DigestFixtures.publication(dir)
    }

    @Test func publicationTemplateOverridesOneFile() throws {
        try dir.write(
            "templates/footer.html.mustache",
            "<tr><td><a href=\"{{subscriber.unsubscribe_url}}\">Leave {{publication.title}}</a></td></tr>\n")
        let html = try DigestFixtures.composer(publication).previewHTML(for: DigestFixtures.subscriber)
        #expect(html.contains(">Leave 社区周报</a>"))
        // The other templates are still the defaults.
        #expect(html.contains("<h2 style="))
    }

    @Test func syntaxErrorNamesTheFileAndLine() throws {
        let file = try dir.write("templates/post.html.mustache", "<tr>\n<td>\n{{#cover}}\n<img src=\"{{cover}}\">\n</td></tr>\n")
        do {
            _ = try DigestFixtures.composer(publication)
            Issue.record("expected a template error")
        } catch {
            guard case .template(let path, let line, let message) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == file.path)
            #expect(line != nil)
            #expect(message.contains("never closed"))
            #expect(error.description.hasPrefix(file.path + ":"))
        }
    }

    @Test func unknownPartialNamesTheLineItIsOn() throws {
        let file = try dir.write("templates/digest.txt.mustache", "{{publication.title}}\n\n{{> footr.txt}}\n")
        #expect(
            throws: DigestError.template(
                path: file.path, line: 3,
                message: "partial \"footr.txt\" not found (expected footr.txt.mustache next to it)")
        ) {
            try DigestFixtures.composer(publication)
        }
    }

    @Test func subjectTemplateErrorsPointAtTheConfig() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "第 {{digest.number}} 期", with: "第 {{#digest}}")
        let pub = try DigestFixtures.publication(dir, yaml: yaml)
        do {
            _ = try DigestFixtures.composer(pub)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(pub.configPath): digest.subject:1: "))
        }
    }

    @Test func subjectThatRendersToNothingIsAnError() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "{{publication.title}} 第 {{digest.number}} 期", with: "{{publication.name}}")
        let pub = try DigestFixtures.publication(dir, yaml: yaml)
        do {
            _ = try DigestFixtures.composer(pub)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("digest.subject \"{{publication.name}}\" renders to nothing"))
        }
    }

    @Test func textTemplatesDoNotEscapeHTMLButHTMLTemplatesDo() throws {
        let post = DigestFixtures.post(title: "Q&A <2025>")
        let composer = try DigestFixtures.composer(publication, posts: [post])
        #expect(try composer.plainText(for: DigestFixtures.subscriber).contains("1. Q&A <2025>"))
        #expect(try composer.previewHTML(for: DigestFixtures.subscriber).contains("Q&amp;A &lt;2025&gt;"))
    }

    @Test func datesFollowTheLanguageAndTimeZone() {
        // 2025-03-14 20:00 UTC is already the 15th in Shanghai.
        let date = Date(timeIntervalSince1970: 1_741_982_400)
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        #expect(DigestDateFormat(language: "zh-CN", timeZone: shanghai).long(date) == "2025年3月15日")
        #expect(DigestDateFormat(language: "en", timeZone: .gmt).long(date) == "14 March 2025")
        #expect(DigestDateFormat(language: "en", timeZone: shanghai).rfc5322(date) == "Sat, 15 Mar 2025 04:00:00 +0800")
    }

    /// The hand scanner against the Regex it replaced, on random lines of template syntax.
    @Test func partialScannerFindsWhatTheRegexFinds() {
        var random = TestRandom(seed: 1145)
        let pieces = ["{{", "}}", ">", "<", " ", "\t", "footer", "a.txt", "}", "{", "#x", "字", "!"]
        let regex = /\{\{[<>]\s*([^}\s]+)\s*\}\}/
        for _ in 0..<2000 {
            let line = (0..<Int.random(in: 1...10, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let expected = line.matches(of: regex).map { String($0.1) }
            #expect(TemplateSet.partialNames(in: line[...]) == expected, "\(line.debugDescription)")
        }
    }
}
