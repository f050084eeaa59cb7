import Testing

@testable import HeraldContent

/// Hugo's own test tables (helpers/url_test.go, helpers/path_test.go of 0.111), and the
/// cases the fixture sites showed with Debian's hugo.
@Suite struct HugoURLRulesTests {
    @Test(arguments: [
        ("  foo bar  ", "foo-bar"),
        ("foo.bar/foo_bar-foo", "foo.bar/foo_bar-foo"),
        ("foo,bar:foobar", "foobarfoobar"),
        ("foo/bar.html", "foo/bar.html"),
        ("трям/трям", "%D1%82%D1%80%D1%8F%D0%BC/%D1%82%D1%80%D1%8F%D0%BC"),
        ("100%-google", "100-google"),
        // Chinese letters kept, full-width punctuation dropped, the space a hyphen.
        (
            "回顾：「社区大会」圆满结束！（附 PPT）",
            "%E5%9B%9E%E9%A1%BE%E7%A4%BE%E5%8C%BA%E5%A4%A7%E4%BC%9A%E5%9C%86%E6%BB%A1%E7%BB%93%E6%9D%9F%E9%99%84-ppt"
        ),
        ("New Year's Eve, C++ & Go: 100% (Vim) edition", "new-years-eve-c++-go-100-vim-edition"),
    ])
    func urlize(_ input: String, _ expected: String) {
        #expect(HugoURLRules().urlize(input) == expected)
    }

    @Test(arguments: [
        ("dot.slash/backslash\\underscore_pound#plus+hyphen-", "dot.slash/backslash\\underscore_pound#plus+hyphen-", true),
        ("abcXYZ0123456789", "abcXYZ0123456789", true),
        ("%20 %2", "%20-2", true),
        ("foo- bar", "foo-bar", true),
        ("  Foo bar  ", "Foo-bar", true),
        ("fOO,bar:foobAR", "fOObarfoobAR", true),
        ("трям/трям", "трям/трям", true),
        ("은행", "은행", true),
        ("Банковский кассир", "Банковскии-кассир", true),
        ("संस्कृत", "संस्कृत", false),
        ("a%C3%B1ame", "a%C3%B1ame", false),
        ("this+is+a+test", "this+is+a+test", false),
        ("~foo", "~foo", false),
        ("foo--bar", "foo--bar", true),
        ("foo@bar", "foo@bar", true),
    ])
    func makePath(_ input: String, _ expected: String, _ removeAccents: Bool) {
        #expect(HugoURLRules(removeAccents: removeAccents).sanitize(input) == expected)
    }

    @Test func lowerCasingIsPerCharacterAndCanBeTurnedOff() {
        #expect(HugoURLRules().sanitizedPath("Über Straße İ") == "über-straße-i")
        #expect(HugoURLRules(keepCase: true).sanitizedPath("Über Straße") == "Über-Straße")
    }

    @Test func escapingIsGoNetURLs() {
        #expect(HugoURLRules.escape("/plain/sub/über-slug-+-more/") == "/plain/sub/%C3%BCber-slug-+-more/")
        #expect(HugoURLRules.escape("/Custom Path/ÄÖ/") == "/Custom%20Path/%C3%84%C3%96/")
        // A `#` starts a fragment, as Go parses it.
        #expect(HugoURLRules.escape("/a-#1-b/") == "/a-#1-b/")
        // Well-formed escapes stay as written.
        #expect(HugoURLRules.escape("/a%C3%B1ame/") == "/a%C3%B1ame/")
        #expect(HugoURLRules.queryUnescape("c++-go") == "c  -go")
        #expect(HugoURLRules.queryUnescape("bad%zz") == nil)
    }
}
