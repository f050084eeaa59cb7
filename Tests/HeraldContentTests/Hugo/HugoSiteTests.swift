import Foundation
import HeraldBase
import HeraldConfig
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// A Hugo site read as Hugo reads it: config files merged, languages, section folders,
/// bundles and translations listed.
@Suite struct HugoSiteTests {
    @Test func configDirectoryMergesIntoOneTreeAndLanguagesDecideTheFolder() throws {
        let dir = try TempDir()
        try dir.write(
            "site/config/_default/hugo.toml",
            "baseURL = \"https://d.example/\"\ndefaultContentLanguage = \"en\"\ndefaultContentLanguageInSubdir = true\n")
        try dir.write("site/config/_default/languages.yaml", "en:\n  weight: 1\nfr:\n  languageCode: fr-FR\n  title: Traductions\n")
        try dir.write("site/config/_default/params.fr.json", "{\"description\": \"En français\"}")
        try dir.write("site/config/_default/permalinks.toml", "events = \"/:section/:year/:slug/\"\n")
        try dir.write("site/content/events/meetup.fr.md", "---\ntitle: x\ndate: 2024-01-01\n---\n")
        let (source, defaults) = try HugoSource.load(
            site: "site", relativeTo: dir.url, section: "events", language: "fr",
            configPath: "herald.yml")
        #expect(source.languagePrefix == "fr")
        #expect(source.permalinks == ["events": "/:section/:year/:slug/"])
        #expect(source.directoryLanguage == "en")
        #expect(defaults.title == "Traductions")
        #expect(defaults.description == "En français")
        #expect(defaults.languageCode == "fr-FR")
        #expect(defaults.baseURL == "https://d.example/")
        #expect(source.configFiles.count == 4)
    }

    @Test func aFolderThatIsNoHugoSiteIsNamed() throws {
        let dir = try TempDir()
        try dir.write("empty/readme.md", "x")
        #expect(
            throws: SourceProblem(
                path: "empty",
                message:
                    "not a Hugo site: no hugo.toml, hugo.yaml, hugo.json, config.* or config/_default/ in it")
        ) {
            try HugoSource.load(site: "empty", relativeTo: dir.url, section: nil, language: nil, configPath: "herald.yml")
        }
    }

    @Test func listingKnowsBundlesSectionsAndLanguages() throws {
        let dir = try TempDir()
        for file in [
            "blog/_index.md", "blog/a.md", "blog/a.fr.md", "blog/b/index.md", "blog/b/index.fr.md", "blog/b/notes.md",
            "blog/c/_index.md", "blog/c/d.md", "blog/.hidden.md",
        ] {
            try dir.write(file, "---\n---\n")
        }
        let root = dir.url.appendingPathComponent("blog").path
        let all = PostFiles.listing(under: root, filter: nil)
        #expect(all.files.map { String($0.dropFirst(root.count + 1)) } == ["a.fr.md", "a.md", "b/index.fr.md", "b/index.md", "c/d.md"])
        #expect(all.branches == ["", "c"])
        let fr = PostFiles.listing(under: root, filter: .init(language: "fr", languages: ["en", "fr"], directoryLanguage: "en"))
        #expect(fr.files.map { String($0.dropFirst(root.count + 1)) } == ["a.fr.md", "b/index.fr.md"])
    }
}
