import Foundation
import Testing
@testable import HeraldMail

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
