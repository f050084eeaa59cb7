import Crypto
import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent

#if canImport(Glibc)
    import Glibc
#endif

/// A digest of everything a feed build reads: Herald's version and binary, the config's
/// bytes, a publication's own feed.xsl, and the path, size and mtime of every post file
/// (the `*.md` files the scan reads; other files in the folder never reach a feed). Equal fingerprints mean the
/// feeds would come out the same, so a no-change rebuild of 10,000 posts costs one
/// directory walk with a `stat` per post, and no post is read.
enum BuildFingerprint {
    /// `stamps`: one per post file, in `PostFiles.list` order, as the scan took them; nil
    /// takes them now with `stat` (the check before a build, or a source that reads no files).
    /// `sections`: the scan's, given with its stamps; nil lists the folder again.
    /// `fetched`: a source read from the network, not from files: its digest stands for the
    /// posts' stamps, and no folder is listed.
    static func compute(
        publication: Publication, skipInvalid: Bool, stamps: [FileStamp]? = nil,
        sections: [String]? = nil, fetched: FetchedInput? = nil
    ) -> String {
        let given = fetched != nil ? (stamps: [], sections: []) : (stamps: stamps, sections: sections)
        let listing = given.stamps != nil && given.sections != nil ? nil : PostFiles.listing(for: publication)
        let stamps = given.stamps ?? listing!.files.map(FileStamp.of)
        let sections = given.sections ?? listing!.branches
        // One transcript of bytes, hashed once: per-file Strings made the no-change check
        // of 10,000 posts slow (BENCHMARKS.md, "Where the speed tricks came from").
        var transcript: [UInt8] = []
        transcript.reserveCapacity(1 << 20)
        func add(_ s: String) {
            transcript += s.utf8
            transcript.append(0x0A)
        }

        PublicationInputs.append(publication, to: &transcript, separator: 0x0A)
        add("skip-invalid \(skipInvalid)")
        if publication.feeds.stylesheet {
            add("stylesheet")
            transcript += FileManager.default.contents(atPath: FeedStylesheet.override(for: publication).path) ?? Data()
        }
        if let fetched { add("fetched \(fetched.name) \(fetched.digest)") }
        add("sections \(sections.joined(separator: "\u{0}"))")
        add("posts \(publication.postsDirectory.path)")
        for stamp in stamps {
            transcript += stamp.path.utf8
            transcript.append(0x20)
            stamp.append(to: &transcript)
            transcript.append(0x0A)
        }
        return Hex.lowercase(SHA256.hash(data: transcript))
    }
}
