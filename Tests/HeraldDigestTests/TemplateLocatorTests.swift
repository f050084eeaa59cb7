import Foundation
import HeraldDigest
import HeraldTestSupport
import Testing

@Suite struct TemplateLocatorTests {
    @Test func explicitFolderWinsAndMustHoldTemplates() throws {
        let dir = try TempDir()
        #expect(throws: DigestError.templatesNotFound(tried: [dir.path])) {
            try TemplateLocator.find(explicit: dir.path, environment: [:])
        }
        try dir.write("digest.html.mustache", "")
        #expect(try TemplateLocator.find(explicit: dir.path, environment: [:])?.path == dir.url.standardizedFileURL.path)
        #expect(try TemplateLocator.find(environment: ["HERALD_TEMPLATES": dir.path])?.path == dir.url.standardizedFileURL.path)
    }

    @Test func withoutAFolderTheBuiltInTemplatesAreUsed() throws {
        let elsewhere = try TempDir()
        #expect(try TemplateLocator.find(environment: [:], currentDirectory: elsewhere.path) == nil)
    }

    /// The templates built into the binary are the files of templates/ as they were at build time.
    @Test func builtInTemplatesAreTheCheckoutsFiles() throws {
        let checkout = Checkout.path("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: checkout.path).filter { $0.hasSuffix(".mustache") }
        #expect(Set(DefaultTemplates.files.keys) == Set(names))
        for name in names {
            #expect(DefaultTemplates.files[name] == (try String(contentsOf: checkout.appendingPathComponent(name), encoding: .utf8)))
        }
    }

    @Test func exportWritesEachOnceAndKeepsWhatIsThere() throws {
        let dir = try TempDir()
        try dir.write("digest.txt.mustache", "mine")
        let first = try TemplateLocator.exportBuiltIn(to: dir.url)
        #expect(first.skipped == ["digest.txt.mustache"])
        #expect(Set(first.written) == Set(DefaultTemplates.files.keys).subtracting(["digest.txt.mustache"]))
        #expect(try String(contentsOf: dir.url.appendingPathComponent("digest.txt.mustache"), encoding: .utf8) == "mine")
        let second = try TemplateLocator.exportBuiltIn(to: dir.url)
        #expect(second.written.isEmpty)
    }
}
