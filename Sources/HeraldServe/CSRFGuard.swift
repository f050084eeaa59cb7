import Crypto
import Foundation
import HTTPTypes
import HeraldState

/// Cross-site request forgery protection for the forms, without server-side sessions:
/// a signed double submit. The GET sets a random nonce in a SameSite=Strict cookie and
/// puts `TIME.MAC(nonce, TIME)` in the form; a POST needs both, matching and fresh, and
/// no cross-site `Origin` or `Sec-Fetch-Site`. (hummingbird-auth has sessions but no CSRF.)
struct CSRFGuard: Sendable {
    static let cookieName = "herald_csrf"
    static let lifetime: TimeInterval = 12 * 3600
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let origin = HTTPField.Name("Origin")!

    let key: [UInt8]
    /// `scheme://host[:port]` of the publication's base_url: the only origin its forms come from.
    let siteOrigin: String

    init(key: [UInt8], siteOrigin: String) {
        self.key = key
        self.siteOrigin = siteOrigin
    }

    /// The cookie's nonce: the one the browser already has (two open tabs keep working), or a new one.
    /// It is random text of a subscription token's form, and only ever compared, never looked up.
    func nonce(from cookie: String?) -> SubscriptionToken {
        cookie.flatMap(SubscriptionToken.init) ?? .random()
    }

    func formToken(nonce: SubscriptionToken, now: Date = Date()) -> String {
        let time = String(Int(now.timeIntervalSince1970))
        return time + "." + mac(nonce: nonce, time: time)
    }

    enum Refusal: Error { case crossSite, missing, invalid, expired }

    func check(formToken: String?, cookie: String?, headers: HTTPFields, authority: String?, now: Date = Date()) throws(Refusal) {
        if let site = headers[Self.fetchSite], site != "same-origin", site != "none" { throw .crossSite }
        if let origin = headers[Self.origin], !sameOrigin(origin, authority: authority) { throw .crossSite }
        guard let formToken, let nonce = cookie.flatMap(SubscriptionToken.init) else { throw .missing }
        let parts = formToken.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let issued = TimeInterval(parts[0]) else { throw .invalid }
        let expected = mac(nonce: nonce, time: String(parts[0]))
        guard constantTimeEqual(expected, String(parts[1])) else { throw .invalid }
        guard now.timeIntervalSince1970 - issued < Self.lifetime, issued - now.timeIntervalSince1970 < 300 else { throw .expired }
    }

    /// The published origin, scheme, host and port exactly as `siteOrigin` spells them; or,
    /// for a request made to another name than the site's (a test or an admin on the host
    /// itself), the plain-HTTP origin of that name, the only way Herald itself is reached.
    /// A page under the site's own host with another scheme or port is another origin
    /// (`http://` is whoever is on the network path), so it is never accepted.
    func sameOrigin(_ origin: String, authority: String?) -> Bool {
        if origin == siteOrigin { return true }
        guard let authority = authority?.lowercased(), Self.host(ofAuthority: authority) != siteHost else { return false }
        return origin == "http://" + authority
    }

    /// The site's host, lowercased, as `siteOrigin` has it.
    var siteHost: String {
        let authority = siteOrigin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first ?? ""
        return Self.host(ofAuthority: String(authority))
    }

    /// `example.org:8080` → `example.org`, `[::1]:8080` → `[::1]`.
    static func host(ofAuthority authority: String) -> String {
        guard let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") else { return authority }
        return String(authority[..<colon])
    }

    private func mac(nonce: SubscriptionToken, time: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("csrf\0\(nonce)\0\(time)".utf8), using: SymmetricKey(data: key))
        return Data(code.prefix(16)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
