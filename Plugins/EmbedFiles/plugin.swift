import Foundation
import PackagePlugin

/// Embeds files of the package into the target that asks for them, as a generated Swift
/// source (`HeraldEmbed`): the default digest templates into HeraldMail, the herald.yml
/// reference into the CLI. Rebuilt whenever one of the files changes.
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
