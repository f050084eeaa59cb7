import Foundation

/// Where the default digest templates come from: a folder given with `--templates DIR` or
/// `HERALD_TEMPLATES`, else the ones built into the binary (`DefaultTemplates`, made from
/// `templates/` at build time). A publication's own `templates/` overrides either, file by
/// file (`TemplateSet.locate`).
public enum TemplateLocator {
    public static let environmentVariable = "HERALD_TEMPLATES"
    /// The file that marks a folder as a templates folder.
    static let marker = "digest.html.mustache"

    /// The folder asked for, or nil for the built-in templates.
    public static func find(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    )
        throws(DigestError) -> URL?
    {
        guard let dir = explicit ?? environment[environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        // An explicit choice that is wrong is an error, not a reason to fall back.
        let url = URL(fileURLWithPath: dir, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path) else {
            throw .templatesNotFound(tried: [url.path])
        }
        return url.standardizedFileURL
    }

    /// `herald templates export DIR`: the built-in templates as files to start from.
    /// Existing files are left alone (returned as skipped), so a second export loses nothing.
    /// `others`: built-in templates of later stages (the feed page), which this target cannot see.
    public static func exportBuiltIn(to directory: URL, others: [String: String] = [:])
        throws(DigestError) -> (written: [String], skipped: [String])
    {
        var written: [String] = []
        var skipped: [String] = []
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, text) in DefaultTemplates.files.merging(others, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key < $1.key }) {
                let file = directory.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: file.path) {
                    skipped.append(name)
                    continue
                }
                try Data(text.utf8).write(to: file, options: .withoutOverwriting)
                written.append(name)
            }
        } catch {
            throw .output(path: directory.path, reason: "cannot write the templates (\(error.localizedDescription))")
        }
        return (written, skipped)
    }
}
