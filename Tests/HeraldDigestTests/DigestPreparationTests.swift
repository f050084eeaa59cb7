import Foundation
import HeraldConfig
import HeraldMail
import HeraldState
import HeraldTestSupport
import Testing

@testable import HeraldDigest

/// A composer given parts prepared on another thread composes byte for byte what one that
/// makes them itself composes; parts made for another publication are not used; a template
/// error made on the other thread is thrown where the composer is made, naming the file.
@Suite struct DigestPreparationTests {
    let dir: TempDir
    let publication: Publication

    init() throws {
        dir = try TempDir()
        publication = try DigestFixtures.publication(dir)
    }

    func compose(_ publication: Publication, prepared: DigestPreparation?, oneMessage: Bool) throws -> DigestComposer {
        try DigestComposer(
            publication: publication, posts: DigestCacheTests.posts, number: 7, date: DigestFixtures.date,
            secret: DigestFixtures.secret, templatesDirectory: DigestFixtures.templates, oneMessage: oneMessage,
            prepared: prepared)
    }

    @Test(arguments: [false, true]) func preparedPartsComposeTheSameBytes(oneMessage: Bool) throws {
        let plain = try compose(publication, prepared: nil, oneMessage: oneMessage)
        let prepared = try compose(
            publication, prepared: DigestPreparation(publication: publication, templatesDirectory: DigestFixtures.templates),
            oneMessage: oneMessage)
        #expect(prepared.subject == plain.subject)
        for subscriber in [DigestCacheTests.named, DigestCacheTests.long, DigestFixtures.subscriber] {
            #expect(prepared.message(for: subscriber).bytes == plain.message(for: subscriber).bytes, "\(subscriber.address)")
            #expect(prepared.previewHTML(for: subscriber) == plain.previewHTML(for: subscriber))
        }
        #expect(prepared.archivePage() == plain.archivePage())
    }

    @Test func partsForAnotherPublicationAreNotUsed() throws {
        let otherDir = try TempDir()
        let english = try DigestFixtures.publication(
            otherDir, yaml: DigestFixtures.yaml.replacingOccurrences(of: "language: zh-CN", with: "language: en"))
        let mismatched = try compose(
            publication, prepared: DigestPreparation(publication: english, templatesDirectory: DigestFixtures.templates),
            oneMessage: true)
        let plain = try compose(publication, prepared: nil, oneMessage: true)
        #expect(mismatched.message(for: DigestFixtures.subscriber).bytes == plain.message(for: DigestFixtures.subscriber).bytes)
    }

    @Test func partsFromOtherDefaultTemplatesAreNotUsed() throws {
        let other = try TempDir()
        for name in try FileManager.default.contentsOfDirectory(atPath: DigestFixtures.templates.path)
        where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: DigestFixtures.templates.appendingPathComponent(name), encoding: .utf8)
            try other.write(name, name == "digest.html.mustache" ? "<p>other defaults</p>\n" + text : text)
        }
        let mismatched = try compose(
            publication, prepared: DigestPreparation(publication: publication, templatesDirectory: other.url), oneMessage: true)
        let plain = try compose(publication, prepared: nil, oneMessage: true)
        #expect(mismatched.message(for: DigestFixtures.subscriber).bytes == plain.message(for: DigestFixtures.subscriber).bytes)
    }

    @Test func aTemplateErrorMadeElsewhereIsThrownWhereTheComposerIsMade() throws {
        try dir.write("templates/digest.html.mustache", "<p>{{#posts}}never closed\u{0}</p>\n")
        let prepared = DigestPreparation(publication: publication, templatesDirectory: DigestFixtures.templates)
        #expect {
            try compose(publication, prepared: prepared, oneMessage: true)
        } throws: { error in
            guard case .template(let path, _, _) = error as? DigestError else { return false }
            return path.hasSuffix("templates/digest.html.mustache")
        }
    }
}
