import Foundation
import HeraldConfig
import HeraldTestSupport
import Testing

/// What the digest is called follows `digest.schedule` in every label that names it.
@Suite struct LabelScheduleTests {
    static let cases: [(String, DigestSchedule.Kind, String)] = [
        ("zh-CN", .daily(hour: 8, minute: 0), "日报"),
        ("zh-CN", .weekly(weekday: 6, hour: 15, minute: 0), "周报"),
        ("zh-CN", .manual, "简报"),
        ("zh-TW", .daily(hour: 8, minute: 0), "日報"),
        ("zh-TW", .weekly(weekday: 6, hour: 15, minute: 0), "週報"),
        ("zh-TW", .manual, "電子報"),
        ("en", .daily(hour: 8, minute: 0), "daily digest"),
        ("en", .weekly(weekday: 6, hour: 15, minute: 0), "weekly digest"),
        ("en", .manual, "digest"),
    ]

    @Test(arguments: cases)
    func theDigestIsCalledWhatItsScheduleMakesIt(language: String, schedule: DigestSchedule.Kind, word: String) {
        let labels = Labels(language: language, schedule: schedule)
        for key in ["subscribe_intro", "confirm_intro", "confirmed", "unsubscribe_intro", "unsubscribed", "you_receive"] {
            #expect(labels[key].contains(word), "\(language) \(key): \(labels[key])")
        }
        #expect(labels.filled("confirm_mail_body", ["title": "T"]).contains(word))
        #expect(labels.filled("no_digest_yet", [:]).contains(word))
    }

    @Test(arguments: cases)
    func noOtherCadenceIsPromised(language: String, schedule: DigestSchedule.Kind, word: String) {
        let labels = Labels(language: language, schedule: schedule)
        let others = ["日报", "周报", "月报", "日報", "週報", "月報", "daily", "weekly", "monthly"].filter { !word.contains($0) }
        for (key, text) in labels.values where !key.hasPrefix("digest_") {
            #expect(!text.contains("{digest}"), "\(language) \(key) keeps its placeholder")
            for other in others { #expect(!text.contains(other), "\(language) \(key) says \(other): \(text)") }
        }
    }

    @Test func aPublicationsLabelsFollowItsSchedule() throws {
        let dir = try TempDir()
        try dir.write("herald.yml", "title: T\nbase_url: https://example.org/\nlanguage: zh-CN\ndigest:\n  schedule: daily 08:00\n")
        let publication = try Publication.load(from: dir.path)
        #expect(Labels(for: publication)["subscribe_intro"] == "通过邮件接收日报。我们会先发送一封确认邮件。")
    }
}
