import Foundation
import HeraldConfig
import Testing

/// The label tables (`templates/labels/*.yml`): complete, in the right punctuation, and chosen by
/// the publication's language.
@Suite struct LabelTablesTests {
    @Test func everyFileReadsAsATable() throws {
        let files = LabelFiles.files.filter { $0.key.hasSuffix(".yml") }
        #expect(files.count >= 3)
        for (name, text) in files {
            let table = try LabelTables.parse(text)
            #expect(!table.isEmpty, "\(name) is empty")
            #expect(LabelTables.all[String(name.dropLast(4))] == table, "\(name) is not among the tables")
        }
    }

    @Test func everyLanguageHasExactlyTheKeysOfEnglish() throws {
        let english = try #require(LabelTables.all["en"])
        for (table, labels) in LabelTables.all where table != "en" {
            let keys = Set(labels.keys)
            let wanted = Set(english.keys)
            #expect(
                keys.subtracting(wanted).isEmpty,
                "templates/labels/\(table).yml has keys en.yml lacks: \(keys.subtracting(wanted).sorted())")
            #expect(wanted.subtracting(keys).isEmpty, "templates/labels/\(table).yml lacks \(wanted.subtracting(keys).sorted())")
            for (key, text) in labels {
                #expect(
                    placeholders(text) == placeholders(english[key] ?? ""),
                    "templates/labels/\(table).yml: \(key) changes the {…} placeholders")
            }
        }
    }

    /// ASCII `:` `,` `.` `?` `!` `;` `(` `)` belong in Chinese only between ASCII letters or
    /// digits (`v2.0`); next to Chinese text or at the end they must be full-width.
    @Test func chineseUsesFullWidthPunctuation() throws {
        let chinese = LabelTables.all.filter { $0.key.hasPrefix("zh") }
        #expect(chinese.count >= 2)
        for (table, labels) in chinese {
            for (key, text) in labels {
                let characters = Array(text)
                for (i, c) in characters.enumerated() where ":,.?!;()".contains(c) {
                    let before = i > 0 ? characters[i - 1] : nil
                    let after = i + 1 < characters.count ? characters[i + 1] : nil
                    let between = [before, after].allSatisfy { $0.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false }
                    #expect(between, "templates/labels/\(table).yml: \(key) has an ASCII \"\(c)\" where a full-width one belongs: \(text)")
                }
            }
        }
        #expect(
            Labels(language: "zh-CN", schedule: .manual).filled("read_more", [:])
                + Labels(language: "zh-CN", schedule: .manual)["colon_space"] == "阅读全文：")
    }

    @Test(arguments: [
        ("zh-CN", "zh"), ("zh", "zh"), ("zh-Hans", "zh"), ("zh-Hans-TW", "zh"), ("zh-SG", "zh"),
        ("zh-TW", "zh-Hant"), ("zh-hk", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("zh-Hant-CN", "zh-Hant"), ("ZH-MO", "zh-Hant"),
        ("en", "en"), ("en-GB", "en"), ("de-CH-1996", "en"), ("x-private", "en"), ("", "en"),
    ])
    func tableForLanguage(tag: String, table: String) {
        #expect(LabelTables.table(for: tag) == table)
        #expect(Labels(language: tag, schedule: .manual).table == table)
    }

    @Test func placeholdersAreFilled() {
        let english = Labels(language: "en", schedule: .manual)
        let chinese = Labels(language: "zh-CN", schedule: .manual)
        #expect(english.filled("issue", ["n": "7"]) == "Issue #7")
        #expect(chinese.filled("confirm_mail_expiry", ["days": "7"]) == "链接 7 天内有效。")
        #expect(english["no_such_label"] == "no_such_label")
    }

    private func placeholders(_ text: String) -> [String] {
        text.matches(of: #/\{[a-z]+\}/#).map { String(text[$0.range]) }.sorted()
    }
}
