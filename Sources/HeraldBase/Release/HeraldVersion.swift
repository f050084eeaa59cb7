/// Herald's version: the one place it is spelled. `herald --version` prints it and every
/// feed names it as its generator's; it is part of the build fingerprint too, so a new
/// version rewrites the feeds.
package enum HeraldVersion {
    /// Raised with each release.
    package static let current = "0.4.0"
}
