import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOPosix
import HeraldBase
import HeraldMail
import HeraldState

/// `herald serve`: every publication at the path of its base_url, its subscriber routes,
/// its output folder as static files, and `/healthz`. Everything that can be wrong with
/// the configuration is found before it listens.
public struct SubscriberServer: Sendable {
    let mounts: [Mount]
    let listen: ListenAddress
    let logger: Logger

    public init(sites: [ServeSite], listen: ListenAddress, logger: Logger, templatesDirectory: URL? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(ServeError) {
        let templates: URL?
        if let templatesDirectory { templates = templatesDirectory } else {
            do { templates = try TemplateLocator.find() } catch { throw ServeError(message: error.description, status: .config) }
        }
        var mounts: [Mount] = []
        for site in sites {
            let mount = try Mount(site: site, templatesDirectory: templates, environment: environment)
            if let other = mounts.first(where: { $0.path == mount.path }) {
                throw ServeError(message: "\(mount.publication.name) and \(other.publication.name) both have base_url path "
                                 + "\(mount.path); each publication needs its own", status: .usage)
            }
            mounts.append(mount)
        }
        self.mounts = mounts
        self.listen = listen
        self.logger = logger
    }

    public func run() async throws {
        let router = Router(context: ServeContext.self)
        router.add(middleware: GzipFilesMiddleware(mounts: mounts.map { ($0.path, $0.output) }))
        // Deepest mount first, so `/news/atom.xml` is the /news/ publication's file even when
        // the publication at / has a news folder; NotModifiedCache looks in the same order.
        let files = mounts.sorted { $0.path.count > $1.path.count }
        for mount in files {
            router.add(middleware: FileMiddleware(mount.output.path, urlBasePath: mount.path == "/" ? nil : mount.path,
                                                  searchForIndexHtml: true, logger: logger))
        }
        let notModified = NotModifiedCache(mounts: files.map { ($0.path, $0.output.path) })
        for mount in mounts { mount.register(on: router, logger: logger) }
        router.get("/healthz") { _, _ in try await health() }
        let app = Application(router: router, server: .http1(answeringFrom: notModified), configuration: .init(address: .hostname(listen.host, port: listen.port),
                                                                  serverName: "herald"),
                              logger: logger)
        for mount in mounts { logger.info("serving \(mount.publication.name) at http://\(listen)\(mount.path)") }
        try await app.runService()
    }

    /// 200 when every state database answers a read, else 503 naming the publication.
    private func health() async throws -> Response {
        for mount in mounts {
            do {
                _ = try await NIOThreadPool.singleton.runIfActive { try SubscriberStore(database: mount.database).count(.active) }
            } catch {
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "\(mount.publication.name): \(error)\n")))
            }
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
}
