import Foundation
import HeraldBase
import HeraldConfig
import HeraldMail
import HeraldState
import HeraldTestSupport
import Synchronization
import Testing

@testable import HeraldDigest

/// `DigestComposer` renders the templates once per digest and fills in each
/// subscriber's fields; these compare that with a full render per subscriber,
/// so one subscriber's data can never leak into another's message.
@Suite struct DigestCacheTests {
    let dir: TempDir
    let publication: Publication

    init() throws {
        dir = try TempDir()
        publication = try DigestFixtures.publication(dir)
    }

    static let named = Subscriber(id: 10, address: "zoe.o'brien&co@example.com", name: "Zoë \"小明\" <O'Brien> & Co")
    static let long = Subscriber(
        id: 11,
        address: String(repeating: "very.long.local.part.", count: 3) + "x@"
            + String(repeating: "subdomain.", count: 15) + "example.org", name: nil)

    static let posts = [
        DigestFixtures.post(),
        DigestFixtures.post(
            title: "Second post with = signs and a very long title that the text part has to wrap somewhere",
            slug: "weekly-2", html: "<p>a = b</p>", text: "a = b\n\nFrom the start of a line.\n.dot"),
    ]

    func expectSameAsFullRender(_ composer: DigestComposer, _ subscribers: [Subscriber]) throws {
        // Interleaved, twice: the cache carries nothing from one message to the next.
        for subscriber in subscribers + subscribers.reversed() {
            let cached = composer.message(for: subscriber)
            let full = composer.referenceMessage(for: subscriber)
            #expect(cached.bytes == full.bytes, "\(subscriber.address)")
            #expect(cached.messageID == full.messageID)
            #expect(cached.envelopeTo == full.envelopeTo)
            #expect(cached.envelopeFrom == full.envelopeFrom)
        }
    }

    @Test func withABounceAddressEachMessageBouncesToItsSubscribersToken() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(
            of: "  content: full\n", with: "  content: full\n  bounce_address: bounces@example.org\n")
        let composer = try DigestFixtures.composer(try DigestFixtures.publication(dir, yaml: yaml), posts: Self.posts)
        #expect(composer.usesCache)
        try expectSameAsFullRender(composer, [Self.named, DigestFixtures.subscriber])
        #expect(composer.message(for: DigestFixtures.subscriber).envelopeFrom == "bounces+0123456789abcdef0123456789abcdef@example.org")
        #expect(composer.message(for: Self.named).envelopeFrom == "bounces@example.org") // no token: not from the database
        let plain = try DigestFixtures.composer(publication, posts: Self.posts)
        #expect(plain.usesCache)
        #expect(plain.message(for: DigestFixtures.subscriber).envelopeFrom == "weekly@example.org")
    }

    @Test func cachedMessagesEqualFullRendersPerSubscriber() throws {
        #expect(Self.long.address.description.utf8.count > 200)
        let composer = try DigestFixtures.composer(publication, posts: Self.posts)
        #expect(composer.usesCache)
        try expectSameAsFullRender(composer, [Self.named, Self.long, DigestFixtures.subscriber])
        let named = String(decoding: composer.message(for: Self.named).bytes, as: UTF8.self)
        let long = String(decoding: composer.message(for: Self.long).bytes, as: UTF8.self)
        #expect(!named.contains("very.long.local.part"))
        #expect(!long.contains("brien"))
        #expect(!long.contains("\u{F8F0}") && !named.contains("\u{F8F0}"))
    }

    @Test func sameBytesFromFourThreads() throws {
        let composer = try DigestFixtures.composer(publication, posts: Self.posts)
        #expect(composer.usesCache)
        let subscribers = (0..<40).map { i in
            Subscriber(id: Int64(i), address: "reader\(i)@example.org", name: i % 3 == 0 ? nil : "Reader \(i) ünïcode")
        }
        let expected = subscribers.map { composer.referenceMessage(for: $0).bytes }
        let results = Results(count: subscribers.count)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for (index, subscriber) in subscribers.enumerated() where index % 4 == thread {
                results.set(index, composer.message(for: subscriber).bytes)
            }
        }
        #expect(results.all() == expected.map { Optional($0) })
    }

    @Test func aComposerForOneMessageRendersInFullTheBytesTheCacheGives() throws {
        let cached = try DigestFixtures.composer(publication, posts: Self.posts)
        let single = try DigestComposer(
            publication: publication, posts: Self.posts, number: 3, date: DigestFixtures.date,
            secret: DigestFixtures.secret, templatesDirectory: DigestFixtures.templates, oneMessage: true)
        #expect(cached.usesCache)
        #expect(!single.usesCache)
        for subscriber in [Self.named, Self.long, DigestFixtures.subscriber] {
            #expect(single.message(for: subscriber).bytes == cached.message(for: subscriber).bytes, "\(subscriber.address)")
        }
    }

    @Test func summaryDigestsAndThePreviewSecret() throws {
        let yaml = DigestFixtures.yaml.replacingOccurrences(of: "content: full", with: "content: summary")
        let pub = try DigestFixtures.publication(dir, yaml: yaml)
        let summary = try DigestFixtures.composer(pub, posts: Self.posts)
        #expect(summary.usesCache)
        try expectSameAsFullRender(summary, [Self.named, Self.long])
        let preview = try DigestFixtures.composer(pub, posts: Self.posts, secret: .preview)
        #expect(preview.usesCache)
        try expectSameAsFullRender(preview, [Self.named, Self.long])
    }

    @Test func base64PartsAndContentThatLooksLikeASentinel() throws {
        let chinese = String(repeating: "社区会议预告，本周贡献与问答。", count: 40)
        let cjk = DigestFixtures.post(html: "<p>\(chinese)</p>", text: chinese, summary: chinese)
        let composer = try DigestFixtures.composer(publication, posts: [cjk])
        #expect(composer.usesCache)
        let raw = String(decoding: composer.message(for: Self.named).bytes, as: UTF8.self)
        #expect(raw.contains("Content-Transfer-Encoding: base64"))
        try expectSameAsFullRender(composer, [Self.named, Self.long])

        // A post that holds a sentinel must not get a subscriber's address put into it.
        let sentinel = SubscriberSlots.sentinel(.email)
        let sneaky = DigestFixtures.post(html: "<p>\(sentinel)</p>", text: "x \(sentinel)", summary: sentinel)
        let guarded = try DigestFixtures.composer(publication, posts: [sneaky])
        #expect(!guarded.usesCache)
        try expectSameAsFullRender(guarded, [Self.named, Self.long])
    }

    @Test func templatesThatUseTheSubscriberOtherwiseStillRenderRight() throws {
        try dir.write(
            "templates/footer.html.mustache",
            """
            <tr><td>{{#subscriber.name}}<p>Hi {{subscriber.name}} ({{{subscriber.name}}})</p>{{/subscriber.name}}\
            {{^subscriber.name}}<p>Hi there</p>{{/subscriber.name}}
            <a href="{{{subscriber.unsubscribe_url}}}">{{subscriber.email}}</a> {{{subscriber.email}}}</td></tr>

            """)
        try dir.write(
            "templates/digest.txt.mustache",
            """
            {{#subscriber.name}}Hello {{subscriber.name}}, {{/subscriber.name}}this issue of {{publication.title}} went to {{subscriber.email}} and we hope it is a good read for you this week.
            {{#posts}}
            {{> post.txt}}
            {{/posts}}
            {{subscriber.unsubscribe_url}} {{#posts}}{{text}}{{/posts}} {{subscriber.email}}
            """)
        let pub = try Publication.load(from: dir.path)
        let composer = try DigestFixtures.composer(pub, posts: Self.posts)
        #expect(composer.usesCache)
        try expectSameAsFullRender(composer, [Self.named, Self.long])

        // A transform of a subscriber field cannot be filled in: every message is rendered in full.
        try dir.write("templates/footer.html.mustache", "<tr><td>{{uppercased(subscriber.email)}}</td></tr>\n")
        let transformed = try DigestFixtures.composer(try Publication.load(from: dir.path), posts: Self.posts)
        #expect(!transformed.usesCache)
        try expectSameAsFullRender(transformed, [Self.named, Self.long])
    }
}

private final class Results: Sendable {
    private let values: Mutex<[[UInt8]?]>
    init(count: Int) { values = Mutex(Array(repeating: nil, count: count)) }
    func set(_ index: Int, _ value: [UInt8]?) { values.withLock { $0[index] = value } }
    func all() -> [[UInt8]?] { values.withLock { $0 } }
}
