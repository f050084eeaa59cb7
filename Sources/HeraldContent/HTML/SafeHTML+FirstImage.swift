import Foundation
import HeraldBase

extension SafeHTML {
    /// The `src` of the first `<img>`, entities decoded: an absolute URL, as the sanitizer
    /// and the renderer write every image they keep (attributes double-quoted, `src`
    /// resolved against the post), so it compares with a front matter URL through
    /// `HTMLSanitizer.safeURL`. A scan, not a parse: the HTML is Herald's own output.
    package var firstImageSource: String? {
        var rest = html[...]
        while let open = rest.range(of: "<img") {
            rest = rest[open.upperBound...]
            guard let next = rest.first, next == " " || next == "/" || next == ">" else { continue }
            let tag = rest[..<(rest.firstIndex(of: ">") ?? rest.endIndex)]
            guard let src = tag.range(of: " src=\"") else { continue }
            let value = tag[src.upperBound...].prefix { $0 != "\"" }
            return HTMLEntities.decoded(String(value))
        }
        return nil
    }
}
