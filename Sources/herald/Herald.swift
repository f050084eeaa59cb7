import ArgumentParser
import Foundation
import HeraldBase

@main
struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Publish a folder of Markdown posts as Atom/RSS feeds and email digests.",
        discussion: "herald help config prints every herald.yml key with its type, default and an example.",
        version: HeraldVersion.current,
        subcommands: [
            Init.self,
            Check.self,
            Build.self,
            Run.self,
            Digest.self,
            Token.self,
            Send.self,
            Status.self,
            Subscribers.self,
            Unsubscribe.self,
            Bounces.self,
            State.self,
            Templates.self,
            DKIM.self,
            Serve.self,
        ])

    /// The one place an error becomes an exit status: errors that know theirs
    /// (`ExitStatusError`) are printed and exit with it; ArgumentParser's own (usage,
    /// --help, --version, `ExitCode`) keep its handling; anything else is a bug (70).
    static func main() async {
        // `herald help config`: the herald.yml reference built into the binary.
        if Array(CommandLine.arguments.dropFirst()) == ["help", "config"] {
            print(EmbeddedDocs.files["configuration.md"] ?? "", terminator: "")
            Foundation.exit(ExitStatus.ok.rawValue)
        }
        do {
            var command = try parseAsRoot()
            // `serve` is the one command that runs async (its server); the others stay synchronous.
            if var server = command as? any AsyncParsableCommand { try await server.run() } else { try command.run() }
        } catch let error as any ExitStatusError {
            if !error.description.isEmpty { printError(error.description) }
            Foundation.exit(error.exitStatus.rawValue)
        } catch {
            if exitCode(for: error) == .failure, !(error is ExitCode) {
                printError("herald: \(error)")
                Foundation.exit(ExitStatus.software.rawValue)
            }
            exit(withError: error)
        }
    }
}
