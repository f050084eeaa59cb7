import ArgumentParser
import HeraldBase
import HeraldConfig
import HeraldContent

@main
struct Herald: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Publish a folder of Markdown posts as Atom/RSS feeds and email digests.",
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
        ])
}
