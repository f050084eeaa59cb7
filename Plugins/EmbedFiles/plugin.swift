import Foundation
import PackagePlugin

/// Embeds files of the package into the target that asks for them, as a generated Swift
/// source (`HeraldEmbed`): the label tables into HeraldConfig, the feed stylesheet into HeraldFeeds,
/// the default digest templates into HeraldDigest, the serve pages into
/// HeraldServe, the herald.yml reference into the CLI. Rebuilt whenever one of the files changes.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        /// The files in `folder` whose names end in one of `suffixes`, in name order.
        func listing(_ folder: String, _ suffixes: String...) throws -> [URL] {
            let url = root.appending(path: folder)
            return try FileManager.default.contentsOfDirectory(atPath: url.path())
                .filter { name in suffixes.contains { name.hasSuffix($0) } }.sorted().map { url.appending(path: $0) }
        }
        let (typeName, files): (String, [URL])
        switch target.name {
        case "HeraldDigest":
            (typeName, files) = ("DefaultTemplates", try listing("templates", ".mustache"))
        case "HeraldServe":
            // `herald serve`'s pages, confirmation mail and stylesheet.
            (typeName, files) = ("ServeTemplates", try listing("templates/serve", ".mustache", ".css"))
        case "HeraldConfig":
            // One table of labels per language (`templates/labels/LANG.yml`).
            (typeName, files) = ("LabelFiles", try listing("templates/labels", ".yml"))
        case "HeraldFeeds":
            // The stylesheet that shows a feed as a page in a browser, the page for browsers
            // without XSLT, and the style both share.
            (typeName, files) = (
                "FeedTemplates",
                ["feed.xsl", "feed.html", "feed.css"].map { root.appending(path: "templates/feed/\($0)") }
            )
        case "herald":
            (typeName, files) = ("EmbeddedDocs", [root.appending(path: "docs/configuration.md")])
        default:
            return []
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(typeName).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) file(s) into \(target.name)",
                executable: try context.tool(named: "HeraldEmbed").url,
                arguments: [output.path(), typeName] + files.map { "\($0.lastPathComponent)=\($0.path())" },
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
