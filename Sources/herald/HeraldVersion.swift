enum HeraldVersion {
    /// Printed by `herald --version`; raised with each release.
    static let current = "0.4.0"
}
