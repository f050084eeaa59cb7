import HeraldState
import Testing

@Suite struct SubscriberNameTests {
    @Test func surroundingSpacesAreTrimmedAndNothingLeftIsNoName() throws {
        #expect(try SubscriberName("  Ana Lima\t")?.description == "Ana Lima")
        #expect(try SubscriberName("\u{3000}小明\u{00A0}")?.description == "小明") // ideographic and no-break spaces
        #expect(try SubscriberName("") == nil)
        #expect(try SubscriberName(" \t ") == nil)
    }

    @Test(arguments: [
        "小明", "王小明 (编辑组)", "김민준", "Zoë \"Z\" O'Brien & Co", "👩‍👩‍👧 family",
        String(repeating: "明", count: 100), String(repeating: "👩‍👩‍👧", count: 100),
    ])
    func namesInAnyScriptUpToTheLimitAreFine(_ text: String) throws {
        #expect(try SubscriberName(text)?.description == text)
    }

    @Test(arguments: [
        "Eve\r\nBcc: x@y.org", "line one\nline two", "Eve\u{1B}[31m", "nul\u{0}", "tab\tinside", "del\u{7F}",
        "c1\u{85}", "c1\u{9B}31m", "Ana\n", "\rAna",
    ])
    func controlCharactersAnywhereAreRefused(_ text: String) {
        #expect(throws: SubscriberName.Refusal.self, "\(text.debugDescription)") { try SubscriberName(text) }
    }

    @Test func theRefusalNamesTheRuleAndTheCharacter() {
        #expect(throws: SubscriberName.Refusal.self) { try SubscriberName("Eve\u{1B}[31m red") }
        do { _ = try SubscriberName("Eve\u{1B}[31m red") } catch {
            #expect(error.reason == .controlCharacter("\u{1B}"))
            #expect(
                error.description == "name \"Eve\\x1b[31m red\" contains the control character U+001B; "
                    + "a name is one line of at most 100 characters, without control characters")
        }
    }

    @Test func aNameOverTheLimitIsRefusedAndEchoedOnlyInPart() throws {
        #expect(try SubscriberName(String(repeating: "a", count: 100)) != nil)
        for text in [
            String(repeating: "a", count: 101), String(repeating: "明", count: 101),
            String(repeating: "x", count: 10_000_000),
        ] {
            do {
                _ = try SubscriberName(text)
                Issue.record("accepted \(text.count) characters")
            } catch {
                #expect(error.reason == .tooLong)
                #expect(error.shown == String(repeating: text.first!, count: SubscriberName.Refusal.shownLength) + "…")
                #expect(error.description.count < 200)
            }
        }
    }

    @Test func escapesDoNotLengthenWhatIsShown() {
        do { _ = try SubscriberName(String(repeating: "\u{0}", count: 5_000)) } catch {
            #expect(error.shown.count <= SubscriberName.Refusal.shownLength + 1)
            #expect(error.shown.hasPrefix("\\x00\\x00") && error.shown.hasSuffix("…"))
        }
    }
}
