import HeraldConfig

extension LegacyUnsubscribeToken {
    /// Checks v1 links with the secret and List-Id they were signed with.
    public init(secret: UnsubscribeSecret, publication: Publication) {
        self.init(key: secret.key, scope: ListIdentity.of(publication))
    }

    /// For the CLI: nil without a configured secret (then v1 links are simply unknown).
    public static func configured(for publication: Publication) -> LegacyUnsubscribeToken? {
        guard let secret = try? UnsubscribeSecret.configured(for: publication) else { return nil }
        return LegacyUnsubscribeToken(secret: secret, publication: publication)
    }
}
