import Foundation

/// Folders of the checkout the tests run from (templates, the example publication, the peers' fixtures).
public enum Checkout {
    /// The package root: this file is `Tests/HeraldTestSupport/Checkout.swift`.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> URL { root.appendingPathComponent(relative).standardizedFileURL }
}
