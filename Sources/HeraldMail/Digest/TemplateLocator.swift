import Foundation

/// Finds the folder of default digest templates. In order: an explicit
/// `--templates DIR`, `HERALD_TEMPLATES`, `./templates`, `../../templates`
/// from the executable (the checkout when run as `.build/debug/herald`),
/// `../share/herald/templates` from it (an install under a prefix), then
/// `/usr/share/herald/templates` (packaged installs).
public enum TemplateLocator {
    public static let environmentVariable = "HERALD_TEMPLATES"
    /// The file that marks a folder as a templates folder.
    static let marker = "digest.html.mustache"

    public static func find(explicit: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            currentDirectory: String = FileManager.default.currentDirectoryPath,
                            executable: String = CommandLine.arguments.first ?? "")
        throws(DigestError) -> URL {
        // An explicit choice that is wrong is an error, not a reason to fall back.
        if let dir = explicit ?? environment[environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            let url = URL(fileURLWithPath: dir, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
            guard holdsTemplates(url) else { throw .templatesNotFound(tried: [url.path]) }
            return url.standardizedFileURL
        }
        var candidates = [URL(fileURLWithPath: currentDirectory).appendingPathComponent("templates")]
        // `.build/debug` is a symlink to `.build/<triple>/debug`: go up from the path as
        // invoked, not from the resolved one. A bare name (found on PATH) says nothing.
        if executable.contains("/") {
            let cwd = URL(fileURLWithPath: currentDirectory, isDirectory: true)
            let invoked = URL(fileURLWithPath: executable, relativeTo: cwd).deletingLastPathComponent()
            let real = URL(fileURLWithPath: executable, relativeTo: cwd).resolvingSymlinksInPath().deletingLastPathComponent()
            // Standardized (`..` removed by text) before the file system follows the symlink.
            candidates.append(invoked.appendingPathComponent("../../templates").standardizedFileURL)
            candidates.append(real.appendingPathComponent("../share/herald/templates"))
        }
        candidates.append(URL(fileURLWithPath: "/usr/share/herald/templates"))
        for url in candidates where holdsTemplates(url) { return url.standardizedFileURL }
        var tried: [String] = []
        for path in candidates.map(\.standardizedFileURL.path) where !tried.contains(path) { tried.append(path) }
        throw .templatesNotFound(tried: tried)
    }

    static func holdsTemplates(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path)
    }
}
