import ArgumentParser
import Foundation
import HeraldBase
import HeraldConfig
import HeraldServe
import HeraldUseCases

extension Herald {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the subscriber pages (subscribe, confirm, unsubscribe), the archive and the output folder.",
            discussion: """
                Each publication is mounted at its path on the site (base_url + path:, for hugo: the section's \
                path in its language, /blog/ or /en/blog/). Needs the unsubscribe secret \
                (it signs the forms) and the smtp settings (confirmation mails). Stops cleanly on SIGTERM. \
                Exit status: 64 usage, 65 bad config, 69 the listening address in use, 73 state not writable, \
                78 settings or secret missing, two publications with the same path, or a state folder inside an output folder.
                """)

        @Argument(help: "Publication folders, e.g. feeds/weekly feeds/news.")
        var publications: [String]
        @Option(help: "Address and port to listen on (behind nginx: a loopback address).")
        var listen = "127.0.0.1:8080"
        @Option(
            help:
                "The site's folder build wrote (--out of build): each publication is served from its path in it. Default: public/NAME."
        )
        var out: String?
        @OptionGroup var state: StateLocation

        func validate() throws {
            do { _ = try ListenAddress(listen) } catch { throw ValidationError(error.description) }
            if publications.count > 1, state.stateDir != nil {
                throw ValidationError("--state-dir takes one publication; with several, each uses its own state folder")
            }
        }

        func run() async throws {
            let logger = bootstrapLogging(label: "herald.serve")
            var sites: [ServeSite] = []
            for path in publications {
                let publication = try Publication.load(from: path)
                sites.append(
                    ServeSite(
                        publication: publication, root: out.map { URL(fileURLWithPath: $0) },
                        stateDirectory: state.directory(for: publication)))
            }
            let server = try SubscriberServer(sites: sites, listen: try ListenAddress(listen), logger: logger)
            try await server.run()
        }
    }
}
