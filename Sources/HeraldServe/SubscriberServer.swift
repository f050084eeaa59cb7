import Foundation
import HeraldBase
import HeraldConfig
import HeraldDigest
import HeraldMail
import HeraldState
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

/// `herald serve`: every publication at its home's path (`base_url` + `path:`), its subscriber routes,
/// its output folder as static files, and `/healthz`. Everything that can be wrong with
/// the configuration is found before it listens.
public struct SubscriberServer: Sendable {
    let mounts: [Mount]
    let listen: ListenAddress
    let logger: Logger

    public init(
        sites: [ServeSite], listen: ListenAddress, logger: Logger, templatesDirectory: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) {
        let templates: URL?
        if let templatesDirectory {
            templates = templatesDirectory
        } else {
            do { templates = try TemplateLocator.find() } catch { throw Failure(.config, error.description) }
        }
        // Two publications answering the same routes or sharing files: refused, naming both.
        try SiteClaims.require(apart: sites.map { SiteClaims(publication: $0.publication, layout: $0.layout) })
        var mounts: [Mount] = []
        for site in sites {
            mounts.append(try Mount(site: site, templatesDirectory: templates, environment: environment))
        }
        // No publication's state in any output folder (its own or another's): each is published whole.
        for site in sites {
            for other in sites { try other.layout.requireApart(fromState: site.stateDirectory) }
        }
        self.mounts = mounts
        self.listen = listen
        self.logger = logger
    }

    public func run() async throws {
        // Every GET route answers HEAD too (its fields, Content-Length included, without the body).
        let router = Router(context: ServeContext.self, options: .autoGenerateHeadEndpoints)
        let databases = mounts.flatMap { $0.store.database?.files.map(\.path) ?? [] }
        let servable = mounts.map { ServableFiles(root: $0.output.path, databases: databases) }
        let folders = MountedFolders(zip(mounts, servable).map { ($0.path, $0.output, $1) })
        router.add(middleware: HeadAsGetMiddleware())
        router.add(middleware: FolderRedirectMiddleware())
        router.add(middleware: FeedPageMiddleware(folders: folders))
        router.add(middleware: GzipFilesMiddleware(folders: folders))
        // A FileMiddleware asks what comes after it first and serves a file only on a 404,
        // so the one added last looks first: added shallowest first, they look deepest
        // first, in the order MountedFolders (and so NotModifiedCache) assumes.
        for (mount, servable) in zip(mounts, servable).sorted(by: { $0.0.path.count < $1.0.path.count }) {
            router.add(
                middleware: FileMiddleware(
                    fileProvider: PublishedFolder(files: mount.output.path, servable: servable, logger: logger),
                    urlBasePath: mount.path == "/" ? nil : mount.path, searchForIndexHtml: true))
        }
        let notModified = NotModifiedCache(folders: folders)
        for mount in mounts { mount.register(on: router, logger: logger) }
        router.get(RouterPath(SiteLayout.healthPath)) { _, _ in try await health() }
        let announce = { @Sendable [mounts, listen, logger] in
            for mount in mounts { logger.info("serving \(mount.publication.name) at http://\(listen)\(mount.path)") }
        }
        let connections = OpenConnections(
            limit: OpenConnections.limit(descriptors: OpenConnections.descriptorLimit(), publications: mounts.count))
        let app = Application(
            router: router,
            server: .http1(
                answeringFrom: notModified, head: deadline(\.headTimeout), idle: deadline(\.idleTimeout), connections: connections),
            configuration: .init(
                address: .hostname(listen.host, port: listen.port),
                serverName: "herald", availableConnectionsDelegate: connections.acceptance),
            onServerRunning: { _ in announce() },
            logger: logger)
        logger.info("starting: \(mounts.count) publication(s) on \(listen), process \(ProcessInfo.processInfo.processIdentifier)")
        do { try await app.runService() } catch {
            let failure = ListenFailure.failure(for: error, address: listen) ?? error
            logger.error("stopped: \(failure)")
            throw failure
        }
        // runService returns once a SIGTERM or SIGINT has let every open request finish.
        logger.info("stopped: shut down on a signal, every request answered")
    }

    /// A connection deadline is the server's, not a publication's: the longest any of them sets.
    private func deadline(_ setting: KeyPath<ServeSettings, TimeInterval>) -> TimeAmount {
        .milliseconds(Int64((mounts.map { $0.settings[keyPath: setting] }.max() ?? 10) * 1000))
    }

    /// 200 when every state database answers a read, else 503 naming the publication.
    private func health() async throws -> Response {
        for mount in mounts {
            do {
                _ = try await NIOThreadPool.singleton.runIfActive { try mount.store.subscribers.count(.active) }
            } catch {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "\(mount.publication.name): \(error)\n")))
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
}
