import Foundation
import HeraldBase
import HeraldTestSupport
import Testing

@testable import HeraldContent

/// `herald check`'s warnings for mistyped links: which destinations, and where.
@Suite struct LinkTyposTests {
    @Test(arguments: [
        "*https://e.org/a", "_https://e.org/", "“https://e.org/", "hhttps://e.org/", "ttps://e.org/",
        "htps://e.org/", "htp://e.org/", "http//e.org/", "https//e.org/", "https:/e.org/",
        "https://e.org/a b",
    ])
    func flagsWhatCannotBeMeant(_ url: String) {
        #expect(LinkTypos.problem(in: url) != nil, "\(url) not flagged")
    }

    @Test(arguments: [
        "https://e.org/a", "http://e.org/", "mailto:a@e.org", "ftp://e.org/f", "tel:+123", "../b/",
        "/img/x.png", "#fn-1", "?page=2", "images/http-guide.png", "https://e.org/?u=https://x.org/",
        "https://web.archive.org/web/2020/https://e.org/", "data:image/png;base64,iVBOR", "", "x.html",
    ])
    func leavesRealLinksAlone(_ url: String) {
        #expect(LinkTypos.problem(in: url) == nil, "\(url) flagged: \(LinkTypos.problem(in: url) ?? "")")
    }

    @Test func checkNotesNameTheFileAndLineOfEachTypo() throws {
        let scratch = try ScratchPublication()
        // Front matter: lines 1-4; the body starts on line 5.
        try scratch.post(
            "a.md", "title: A\ndate: 2024-05-03T15:00:00+08:00",
            body: """
                Fine [link](https://e.org/) and [star](*https://e.org/x).

                A paragraph over
                two lines with [typo](ttps://e.org/y) on the second.

                - [autolink-like](<https://e.org/a b>)
                - [broken](https://e.org/c d) is text to cmark
                - <https://e.org/ok> and ![img](htps://e.org/i.png)

                `[code](*https://not.checked/)` and a real [ftp](ftp://e.org/f).

                """)
        let notes = try scratch.only().notes
        try #require(notes.map(\.line) == [5, 8, 10, 11, 12])
        #expect(notes.allSatisfy { $0.path == "posts/a.md" && $0.message.hasPrefix("warning: ") })
        #expect(notes[0].message.contains("*https://e.org/x"))
        #expect(notes[1].message.contains("ttps://e.org/y"))
        #expect(notes[3].message.contains("https://e.org/c d"))
        #expect(notes[4].message.contains("htps://e.org/i.png"))
    }
}
