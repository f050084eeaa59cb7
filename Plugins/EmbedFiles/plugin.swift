import Foundation
import PackagePlugin

/// Embeds files of the package into the target that asks for them, as a generated Swift
/// source (`HeraldEmbed`): the label tables into HeraldConfig, the feed stylesheet into HeraldFeeds,
/// the default digest templates into HeraldMail, the serve pages into
/// HeraldServe, the herald.yml reference into the CLI. Rebuilt whenever one of the files changes.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let (typeName, files): (String, [URL])
        switch target.name {
        case "HeraldMail":
            let templates = root.appending(path: "templates")
            let names = try FileManager.default.contentsOfDirectory(atPath: templates.path())
                .filter { $0.hasSuffix(".mustache") }.sorted()
            (typeName, files) = ("DefaultTemplates", names.map { templates.appending(path: $0) })
        case "HeraldServe":
            // `herald serve`'s pages, confirmation mail and stylesheet.
            let serve = root.appending(path: "templates/serve")
            let names = try FileManager.default.contentsOfDirectory(atPath: serve.path())
                .filter { $0.hasSuffix(".mustache") || $0.hasSuffix(".css") }.sorted()
            (typeName, files) = ("ServeTemplates", names.map { serve.appending(path: $0) })
        case "HeraldConfig":
            // One table of labels per language (`labels/LANG.yml`).
            let labels = root.appending(path: "labels")
            let names = try FileManager.default.contentsOfDirectory(atPath: labels.path())
                .filter { $0.hasSuffix(".yml") }.sorted()
            (typeName, files) = ("LabelFiles", names.map { labels.appending(path: $0) })
        case "HeraldFeeds":
            // The stylesheet that shows a feed as a page in a browser.
            (typeName, files) = ("FeedTemplates", [root.appending(path: "templates/feed/feed.xsl")])
        case "herald":
            (typeName, files) = ("EmbeddedDocs", [root.appending(path: "docs/configuration.md")])
        default:
            return []
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(typeName).swift")
        return [.buildCommand(
            displayName: "Embedding \(files.count) file(s) into \(target.name)",
            executable: try context.tool(named: "HeraldEmbed").url,
            arguments: [output.path(), typeName] + files.map { "\($0.lastPathComponent)=\($0.path())" },
            inputFiles: files,
            outputFiles: [output])]
    }
}
