import Foundation
import HeraldBase

/// Folder names for tag and category feeds: `SOFA Weekly` → `sofa-weekly`, `开源之夏` → `开源之夏`.
///
/// A slug keeps letters, digits and marks of any script (lower-cased, NFKC), turns every
/// run of anything else into one `-`, so it is safe in a path and needs only the plain
/// percent-encoding of its UTF-8 in a URL. No tag is dropped: one with nothing left gets a
/// hash, and tags whose slugs collide (`C++` and `C#`) are told apart by a hash suffix.
enum FeedSlug {
    /// Longest slug kept before a hash stands in for the rest (file names cap at 255 bytes;
    /// 64 CJK characters are 192).
    static let maxScalars = 64

    /// The slug of one name, before collisions are resolved.
    static func base(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingDash = false
        var kept = 0
        var truncated = false
        for scalar in name.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if isKept(scalar) {
                if kept == maxScalars {
                    truncated = true
                    break
                }
                if pendingDash, !out.isEmpty { out.append("-") }
                out.append(scalar)
                pendingDash = false
                kept += 1
            } else {
                pendingDash = true
            }
        }
        let slug = String(out)
        if slug.isEmpty { return hash(name) }
        return truncated ? slug + "-" + hash(name) : slug
    }

    /// Distinct slugs for distinct names. `namesInFirstUseOrder` lists each name once,
    /// in the order posts first used them (oldest post first): the oldest name keeps the
    /// plain slug, so adding a post never renames an existing feed.
    static func assign(_ namesInFirstUseOrder: [String]) -> [String: String] {
        var slugs: [String: String] = [:]
        var taken: Set<String> = []
        for name in namesInFirstUseOrder where slugs[name] == nil {
            let base = base(name)
            var candidate = base
            var round = 1
            while taken.contains(candidate) {
                // Deterministic: depends only on the name and how many rounds it took.
                candidate = base + "-" + hash(round == 1 ? name : "\(name)\u{0}\(round)")
                round += 1
            }
            taken.insert(candidate)
            slugs[name] = candidate
        }
        return slugs
    }

    /// The slug as one URL path segment: ASCII letters, digits and `-` as they are, the
    /// rest as percent-encoded UTF-8.
    static func urlSegment(_ slug: String) -> String {
        var out = ""
        for byte in slug.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + Hex.uppercase([byte])
            }
        }
        return out
    }

    private static func isKept(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// 8 hex digits of FNV-1a 64 over the UTF-8: stable across runs, platforms and versions
    /// (unlike `hashValue`, which is seeded per process).
    static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        return Hex.lowercase([56, 48, 40, 32].map { UInt8(truncatingIfNeeded: h >> $0) })
    }
}
