import Foundation

/// Finds the folder of default digest templates. In order: an explicit
/// `--templates DIR`, `HERALD_TEMPLATES`, `./templates`, `../../templates`
/// from the executable (the checkout when run from `.build/debug/herald`),
/// then `/usr/share/herald/templates` (packaged installs).
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
        if !executable.isEmpty {
            let exe = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .resolvingSymlinksInPath()
            candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../../templates"))
        }
        candidates.append(URL(fileURLWithPath: "/usr/share/herald/templates"))
        for url in candidates where holdsTemplates(url) { return url.standardizedFileURL }
        throw .templatesNotFound(tried: candidates.map { $0.standardizedFileURL.path })
    }

    static func holdsTemplates(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path)
    }
}
