import Foundation
import HeraldBase
import Testing

@testable import HeraldContent

@Suite struct FrontMatterTests {
    func split(_ text: String) throws(SourceProblem) -> FrontMatter { try FrontMatter.split(text, path: "p.md") }

    @Test func splitsYAMLFromBody() throws {
        let fm = try split("---\ntitle: 标题\n---\n正文第一行\n")
        #expect(fm.yaml == "title: 标题\n")
        #expect(fm.body == "正文第一行\n")
        #expect(fm.openingLine == 1)
    }

    @Test(arguments: [
        ("", "file is empty: a post needs front matter (--- title: … date: … ---) and a body"),
        ("\n  \n", "file is empty: a post needs front matter (--- title: … date: … ---) and a body"),
        ("+++\ntitle = \"x\"\n", "TOML front matter is never closed (or larger than 64 KB): add a +++ line after it"),
        ("{\"title\": \"x\"\n正文\n", "JSON front matter is never closed: the object that starts here needs its closing }"),
        (
            "# 只有正文\n",
            "missing front matter: the file must start with a --- line, then title: and date:, then --- (or Hugo's +++ TOML or { JSON })"
        ),
        ("---\ntitle: 标题\ndate: 2024-01-01\n正文\n", "front matter is never closed: add a --- line after it"),
    ])
    func badShapesAreProblemsOnLineOne(_ text: String, _ message: String) {
        #expect(throws: SourceProblem(path: "p.md", line: 1, message: message)) { try split(text) }
    }

    @Test func tomlAndJSONFrontMatterReadAsYAMLWould() throws {
        let toml = try split(
            "+++\ntitle = \"标题\"\ndate = 2024-05-10T15:00:00+08:00\ntags = [\"a\", \"b\"]\ndraft = true\n[build]\nlist = \"never\"\n+++\n正文\n"
        )
        #expect(toml.format == .toml)
        #expect(toml.body == "正文\n")
        var t = try #require(try toml.values(path: "p.md"))
        #expect(t.text("title")?.value == "标题")
        #expect(t.text("title")?.line == 2)
        #expect(t.text("date")?.value == "2024-05-10T15:00:00+08:00")
        #expect(t.list("tags") == ["a", "b"])
        #expect(t.flag("draft") == true)
        #expect(t.nested("build", "list") == "never")

        let json = try split("{\n  \"title\": \"标题 }\",\n  \"publishDate\": \"2024-05-17\"\n}\n正文\n")
        #expect(json.format == .json)
        #expect(json.body == "\n正文\n")
        var j = try #require(try json.values(path: "p.md"))
        #expect(j.text("title")?.value == "标题 }")
        #expect(j.text("publishdate")?.value == "2024-05-17")
        #expect(j.text("publishdate")?.line == 3)
    }

    @Test func badTOMLNamesItsLine() throws {
        let fm = try split("+++\ntitle = \"x\"\ndate = = 1\n+++\n")
        #expect(throws: SourceProblem.self) { _ = try fm.values(path: "p.md") }
        do { _ = try fm.values(path: "p.md") } catch { #expect(error.line == 3) }
    }

    @Test func hugeFrontMatterIsRefused() {
        let text = "---\n" + String(repeating: "note: 很长很长的一行文字，没有结束标记\n", count: 2000)
        #expect(
            throws: SourceProblem(
                path: "p.md", line: 1,
                message:
                    "front matter is larger than 64 KB: is the closing --- missing?")
        ) { try split(text) }
    }

    @Test func yamlErrorsCarryTheFileLine() throws {
        let fm = try split("---\ntitle: 标题\ntags: [a, b\ndate: 2024-01-01\n---\n")
        do {
            _ = try fm.values(path: "p.md")
            Issue.record("broken YAML was accepted")
        } catch {
            // The flow sequence opened on line 3 is still open on line 4.
            #expect(error.line == 4)
            #expect(error.message.hasPrefix("invalid YAML: "))
        }
    }

    @Test func duplicateKeysAreOneLineProblems() throws {
        let fm = try split("---\ntitle: 一\ndate: 2024-01-01\ntitle: 二\n---\n")
        #expect(throws: SourceProblem(path: "p.md", line: 4, message: "key \"title\" appears more than once: keep one")) {
            try fm.values(path: "p.md")
        }
    }

    @Test func everyYAMLErrorIsASingleLine() throws {
        for yaml in ["title: \"未闭合\n", "a: b: c\n", "- list\n- at top\n", "title: *undefined\n", "\t- tab\n"] {
            let fm = try split("---\n" + yaml + "---\n")
            do {
                _ = try fm.values(path: "p.md")
                Issue.record("accepted \(yaml)")
            } catch {
                #expect(!error.description.contains("\n"), "\(yaml)")
                #expect(error.line != nil)
            }
        }
    }

    // The node budget stops expansion before it starts: the exact refusal is the proof, not a stopwatch.
    @Test func aliasBombIsRefused() throws {
        var yaml = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ")
            yaml += "a\(i): &a\(i) [\(refs)]\n"
        }
        let fm = try split("---\ntitle: 炸弹\n" + yaml + "tags: *a9\n---\n")
        #expect(
            throws: SourceProblem(
                path: "p.md", line: 1,
                message:
                    "front matter expands to more than 10000 YAML nodes (alias bomb?): remove the aliases")
        ) {
            try fm.values(path: "p.md")
        }
    }

    @Test func modestAliasesAreFine() throws {
        let fm = try split("---\ntitle: &t 标题\ndescription: *t\n---\n")
        #expect(try fm.values(path: "p.md") != nil)
    }
}
