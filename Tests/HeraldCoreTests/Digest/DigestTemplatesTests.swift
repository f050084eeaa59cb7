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
        // As SwiftPM lays it out: .build/debug is a symlink into .build/<triple>/debug.
        try checkout.write(".build/x86_64-unknown-linux-gnu/debug/.keep", "")
        try FileManager.default.createSymbolicLink(atPath: checkout.path + "/.build/debug",
                                                   withDestinationPath: "x86_64-unknown-linux-gnu/debug")
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

@Suite struct PlainTextLayoutTests {
    @Test func rewrapsOnlyLinesWiderThan78KeepingIndentation() {
        let short = "  本周精选问答。"
        let long = "  " + String(repeating: "每周精选问答，同步开源进展。", count: 8)
        let url = "https://example.org/" + String(repeating: "a", count: 100)
        let out = PlainTextLayout.finish([short, long, url, "", "", "", "end   "].joined(separator: "\n"))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == short)
        #expect(lines.dropFirst().prefix { $0.hasPrefix("  ") }.allSatisfy { DisplayWidth.of($0) <= 72 })
        // A URL cannot be broken; blank runs shrink to one; trailing spaces go.
        #expect(lines.contains(url))
        #expect(out.hasSuffix(url + "\n\nend\n"))
    }

    @Test func leavesTheLoadersTextAsItIs() {
        let table = "组件        | 版本  | 说明\n" + String(repeating: "-", count: 100) + "\n\n\n    code   "
        let out = PlainTextLayout.finish("1. Title\n\n" + PlainTextLayout.placeholder(0) + "\n\n--\n", verbatim: [table])
        #expect(out == "1. Title\n\n" + table + "\n\n--\n")
    }
}
