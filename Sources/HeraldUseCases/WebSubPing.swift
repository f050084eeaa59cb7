import Foundation
import HeraldConfig
import HeraldFeeds
import HeraldMail

/// Tells a WebSub hub which feeds a build changed (`hub.mode=publish`, one POST per feed,
/// the PubSubHubbub 0.4 form hubs accept), so it fetches them and pushes the news to the
/// readers subscribed there. A hub is a convenience: when it fails, the feeds are
/// published all the same and readers poll as before, so failures are warnings.
package enum WebSubPing {
    /// Seconds one ping may take, connecting included: a build must not hang on a hub.
    static let timeout = 10

    /// After a build of `publication`: pings its hub, if it has one, for the feeds the build
    /// changed; the warnings, ready to print.
    package static func announce(_ report: BuildReport, of publication: Publication) -> [String] {
        guard let hub = publication.feeds.websubHub else { return [] }
        return publish(report.changedFeeds, to: hub).map { "\(publication.name): warning: \($0)" }
    }

    /// Pings `hub` for each of `feeds` (their URLs); one warning per ping that failed. When
    /// the hub cannot be reached at all, the others are not tried: each would wait as long.
    package static func publish(_ feeds: [String], to hub: String) -> [String] {
        guard !feeds.isEmpty else { return [] }
        let curl: CurlEasy
        do { curl = try CurlEasy() } catch { return ["WebSub hub \(hub): \(error.message); no feed announced"] }
        var warnings: [String] = []
        for (index, feed) in feeds.enumerated() {
            switch curl.postForm(hub, form: form(feed), timeout: timeout) {
            case .success(let status) where (200..<300).contains(status):
                continue
            case .success(let status):
                warnings.append("WebSub hub \(hub) answered \(status) to the ping for \(feed)")
            case .failure(let failure):
                let rest = feeds.count - index - 1
                warnings.append(
                    "WebSub hub \(hub) could not be reached (\(failure.message)): \(feed)"
                        + (rest > 0 ? " and \(rest) other changed feed(s) not announced" : " not announced"))
                return warnings
            }
        }
        return warnings
    }

    /// `hub.mode=publish&hub.url=…`, form-encoded.
    static func form(_ feed: String) -> String {
        "hub.mode=publish&hub.url=" + (feed.addingPercentEncoding(withAllowedCharacters: formValue) ?? feed)
    }

    /// What a form value may hold unencoded: RFC 3986's unreserved characters.
    private static let formValue = CharacterSet(
        charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
