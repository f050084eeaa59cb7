import Foundation
import Testing
@testable import HeraldCore

@Suite struct DigestTemplatesTests {
    let dir: TempDir
    let publication: Publication

    init() throws {
        dir = try TempDir()
        publication = try DigestFixtures.publication(dir)
    }

    @Test func publicationTemplateOverridesOneFile() throws {
        try dir.write("templates/footer.html.mustache", "<tr><td><a href=\"{{subscriber.unsubscribe_url}}\">Leave {{publication.title}}</a></td></tr>\n")
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
            guard case .template(let path, let line, let message) = error else { Issue.record("\(error)"); return }
            #expect(path == file.path)
            #expect(line != nil)
            #expect(message.contains("never closed"))
            #expect(error.description.hasPrefix(file.path + ":"))
        }
    }

    @Test func unknownPartialNamesTheLineItIsOn() throws {
        let file = try dir.write("templates/digest.txt.mustache", "{{publication.title}}\n\n{{> footr.txt}}\n")
        #expect(throws: DigestError.template(path: file.path, line: 3,
                                             message: "partial \"footr.txt\" not found (expected footr.txt.mustache next to it)")) {
            try DigestFixtures.composer(publication)
        }
    }

    @Test func subjectTemplateErrorsPointAtTheConfig() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "第 {{digest.number}} 期", with: "第 {{#digest}}")
        let pub = try DigestFixtures.publication(dir, yaml: yaml)
        do { _ = try DigestFixtures.composer(pub); Issue.record("expected an error") } catch {
            #expect(error.description.hasPrefix("\(pub.configPath): digest.subject:1: "))
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
}

@Suite struct TemplateLocatorTests {
    @Test func explicitFolderWinsAndMustHoldTemplates() throws {
        let dir = try TempDir()
        #expect(throws: DigestError.templatesNotFound(tried: [dir.path])) {
            try TemplateLocator.find(explicit: dir.path, environment: [:])
        }
        try dir.write("digest.html.mustache", "")
        #expect(try TemplateLocator.find(explicit: dir.path, environment: [:]).path == dir.url.standardizedFileURL.path)
        #expect(try TemplateLocator.find(environment: ["HERALD_TEMPLATES": dir.path]).path == dir.url.standardizedFileURL.path)
    }

    @Test func fallsBackToCurrentDirectoryThenNextToTheExecutable() throws {
        let checkout = try TempDir()
        try checkout.write("templates/digest.html.mustache", "")
        try checkout.write(".build/debug/.keep", "")
        let elsewhere = try TempDir()
        let fromCwd = try TemplateLocator.find(environment: [:], currentDirectory: checkout.path, executable: "")
        #expect(fromCwd.path == checkout.url.appendingPathComponent("templates").standardizedFileURL.path)
        let fromExe = try TemplateLocator.find(environment: [:], currentDirectory: elsewhere.path,
                                               executable: checkout.path + "/.build/debug/herald")
        #expect(fromExe.resolvingSymlinksInPath().path
                == checkout.url.appendingPathComponent("templates").resolvingSymlinksInPath().path)
    }

    @Test func notFoundListsWhereItLooked() throws {
        let elsewhere = try TempDir()
        do {
            _ = try TemplateLocator.find(environment: [:], currentDirectory: elsewhere.path, executable: "/nonexistent/bin/herald")
            Issue.record("expected templatesNotFound")
        } catch {
            #expect(error.description.contains(elsewhere.path + "/templates"))
            #expect(error.description.contains("/usr/share/herald/templates"))
            #expect(error.description.contains("--templates"))
        }
    }
}

@Suite struct TextColumnsTests {
    @Test func wideCharactersCountTwo() {
        #expect(TextColumns.width(of: "abc") == 3)
        #expect(TextColumns.width(of: "中文") == 4)
        #expect(TextColumns.width(of: "ＳＯＦＡ｜") == 10)
        #expect(TextColumns.width(of: "é") == 1)
    }

    @Test func wrapsCJKBetweenCharactersAndLatinAtSpaces() {
        let text = String(repeating: "每周精选问答，同步开源进展。", count: 8) + " SOFAArk and Layotto community meetings"
        let lines = TextColumns.wrap(text, limit: 72, indent: "  ")
        #expect(lines.allSatisfy { TextColumns.width(of: $0) <= 72 && $0.hasPrefix("  ") })
        #expect(lines.joined().replacingOccurrences(of: "  ", with: "") .contains("SOFAArk"))
        // Closing punctuation never starts a line.
        #expect(lines.allSatisfy { !$0.dropFirst(2).hasPrefix("，") && !$0.dropFirst(2).hasPrefix("。") })
        #expect(lines.map { $0.dropFirst(2) }.joined().filter { !$0.isWhitespace }
                == text.filter { !$0.isWhitespace })
    }

    @Test func overLongWordStaysWhole() {
        let url = "https://example.org/" + String(repeating: "a", count: 100)
        #expect(TextColumns.wrap("see \(url) now", limit: 72) == ["see", url, "now"])
    }
}
