import Foundation
import Testing
@testable import HeraldBase
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
        ("+++\ntitle = \"x\"\n+++\n", "TOML front matter (+++) is not supported yet: write it as YAML between --- lines"),
        ("# 只有正文\n", "missing front matter: the file must start with a --- line, then title: and date:, then ---"),
        ("---\ntitle: 标题\ndate: 2024-01-01\n正文\n", "front matter is never closed: add a --- line after it"),
    ])
    func badShapesAreProblemsOnLineOne(_ text: String, _ message: String) {
        #expect(throws: SourceProblem(path: "p.md", line: 1, message: message)) { try split(text) }
    }

    @Test func hugeFrontMatterIsRefused() {
        let text = "---\n" + String(repeating: "note: 很长很长的一行文字，没有结束标记\n", count: 2000)
        #expect(throws: SourceProblem(path: "p.md", line: 1, message:
            "front matter is larger than 64 KB: is the closing --- missing?")) { try split(text) }
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
        #expect(throws: SourceProblem(path: "p.md", line: 1, message:
            "front matter expands to more than 10000 YAML nodes (alias bomb?): remove the aliases")) {
            try fm.values(path: "p.md")
        }
    }

    @Test func modestAliasesAreFine() throws {
        let fm = try split("---\ntitle: &t 标题\ndescription: *t\n---\n")
        #expect(try fm.values(path: "p.md") != nil)
    }
}
