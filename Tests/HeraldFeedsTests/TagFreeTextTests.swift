import Testing

@testable import HeraldFeeds

@Suite struct TagFreeTextTests {
    @Test(arguments: [
        ("Ends ]]> here & <b>bold</b>", "Ends ]]> here & bold"),
        ("<script>alert('t')</script> R&D", "alert('t') R&D"),
        ("un<i>real</i>, <br/>really", "unreal, really"),
        ("a <!-- note --> b <?pi x?> c", "a b c"),
        ("1 < 2 > 0 & x<y", "1 < 2 > 0 & x<y"),
        ("<b", "<b"),
        ("a <b>\n bold</b>\t text", "a bold text"),
        ("<b></b>", "<b></b>"),
        ("", ""),
    ])
    func tagsAreLeftOutAndTheWordsStay(input: String, expected: String) {
        #expect(TagFreeText.of(input) == expected)
    }
}
