import Foundation
import HeraldBase
import Yams

/// A Hugo site's configuration as Hugo reads it: `hugo.toml|yaml|json` (or the older
/// `config.*`) at the site root, merged with `config/_default/`, where each file is one
/// top-level key (`params.toml` → `params`, `languages.toml` → `languages`) and
/// `NAME.LANG.ext` belongs to that language (`params.en.toml` → `languages.en.params`).
package struct HugoSiteConfig: Sendable {
    package let root: URL
    /// Every file read, in order: a change to any of them changes the permalinks.
    package let files: [String]
    package let value: HugoConfigValue

    package static let formats = ["toml", "yaml", "yml", "json"]

    package static func load(root: URL, shownAs shown: String) throws(SourceProblem) -> HugoSiteConfig {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw SourceProblem(path: shown, message: "the Hugo site folder does not exist")
        }
        var files: [String] = []
        var value = HugoConfigValue.table([:])
        for name in ["hugo", "config"] {
            if let file = formats.lazy.map({ root.appendingPathComponent("\(name).\($0)").path })
                .first(where: { FileManager.default.fileExists(atPath: $0) })
            {
                value = value.merged(with: try read(file))
                files.append(file)
                break
            }
        }
        let configDir = root.appendingPathComponent("config/_default")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: configDir.path) {
            for name in names.sorted() {
                let parts = name.split(separator: ".").map(String.init)
                guard parts.count >= 2, formats.contains(parts.last!) else { continue }
                let file = configDir.appendingPathComponent(name).path
                var read = try read(file)
                let key = parts[0].lowercased()
                if key != "hugo", key != "config" { read = .table([key: read]) }
                if parts.count == 3 { read = .table(["languages": .table([parts[1].lowercased(): read])]) }
                // The root file was there first: what it sets stays.
                value = read.merged(with: value)
                files.append(file)
            }
        }
        guard !files.isEmpty else {
            throw SourceProblem(
                path: shown,
                message:
                    "not a Hugo site: no hugo.toml, hugo.yaml, hugo.json, config.* or config/_default/ in it")
        }
        return HugoSiteConfig(root: root, files: files, value: value)
    }

    private static func read(_ file: String) throws(SourceProblem) -> HugoConfigValue {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw SourceProblem(path: file, message: "cannot read this Hugo config file as UTF-8 text")
        }
        do {
            let node: Node?
            switch (file as NSString).pathExtension {
            case "toml": node = try ForeignDocument.toml(text)
            case "json": node = try ForeignDocument.json(text)
            default: node = try Yams.compose(yaml: text)
            }
            return node.map(HugoConfigValue.init) ?? .table([:])
        } catch let failure as ForeignDocument.Failure {
            throw SourceProblem(path: file, line: failure.line, message: Whitespace.collapsed(failure.message))
        } catch {
            throw YAMLErrors.problem(error, path: file, text: text)
        }
    }
}
