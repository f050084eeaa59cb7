import Foundation
import HeraldBase
import HeraldConfig
import HeraldContent
import HeraldFetch

/// `herald init --feed URL NAME`: a commented herald.yml for a publication whose posts are
/// another site's feed. The feed is fetched and read once, so a wrong address or a page
/// that is not a feed is said now, and its title, language and home page fill the keys.
public struct FeedPublicationTemplate {
    public let url: String
    public let timeZone: String
    /// The folder herald.yml goes in.
    public let folder: URL

    public init(url: String, timeZone: String?, folder: URL) {
        self.url = url
        self.timeZone = timeZone ?? TimeZone.current.identifier
        self.folder = folder.standardizedFileURL
    }

    /// Writes `folder/herald.yml`; returns its path. A feed that cannot be fetched or read
    /// throws its own error (and exit status).
    public func write() throws -> String {
        let address: String
        switch FeedSourceSettings.address(
            Whitespace.trimmed(url), directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        {
        case .success(let resolved): address = resolved
        case .failure(let error): throw PublicationTemplateFailure.badValue("--feed \(error.message)")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw PublicationTemplateFailure.badValue(
                "--timezone: \(timeZone.debugDescription) is not an IANA time zone such as Asia/Shanghai or UTC")
        }
        let feed: IncomingFeed
        switch try FeedFetcher().fetch(FetchRequest(url: address)) {
        case .fetched(let body): feed = try FeedReader.read(body.bytes, url: body.finalURL)
        case .notModified: throw Failure(.unavailable, "\(address): the server answered 304 to a request that was not conditional")
        }
        return try PublicationTemplateText.write(render(feed, address: address), in: folder)
    }

    func render(_ feed: IncomingFeed, address: String) -> String {
        let q = PublicationTemplateText.quoted
        let title = Whitespace.collapsed(feed.title)
        let language = feed.language.map { $0.replacingOccurrences(of: "_", with: "-") }.flatMap {
            LanguageTag.problem($0) == nil ? $0 : nil
        }
        let home = feed.link?.absoluteString ?? URL(string: address).flatMap(Self.origin)
        let description = Whitespace.collapsed(feed.description)
        return """
            # A publication whose posts are another site's feed (\(feed.format.rawValue), \(feed.entries.count) entries
            # when `herald init` read it). Written by `herald init --feed`; every key is explained in
            # docs/configuration.md (or run `herald help config`).
            title: \(q(title.isEmpty ? folder.lastPathComponent : title))
            \(description.isEmpty ? "# description: What readers get, in one sentence." : "description: \(q(description))")
            # The site's home page: the digest's links to the site and its archive pages start here.
            base_url: \(q(home ?? "https://example.org/"))
            language: \(q(language ?? "en"))\(language == nil ? "  # the feed names none: set the site's" : "")
            # The digest schedule is in this zone.
            timezone: \(q(timeZone))

            # Where the posts come from: fetched at every send (a conditional GET, so an
            # unchanged feed costs one 304). What is new is decided by entry id; an entry
            # already sent is never sent again. For limits, write it as a mapping:
            #   source:
            #     url: …
            #     timeout: 30     # seconds
            #     max_size: 16    # MiB
            source: \(q(address))

            \(PublicationTemplateText.mailKeys)
            """
    }

    /// `https://blog.example.org/` from `https://blog.example.org/feed.xml`.
    private static func origin(_ url: URL) -> String? {
        guard let scheme = url.scheme, scheme.hasPrefix("http"), let host = url.host else { return nil }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")/"
    }
}
