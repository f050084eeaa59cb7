import Hummingbird
import Logging
import NIOPosix

/// An output folder as Hummingbird's FileMiddleware reads it: the local file system,
/// except that what `ServableFiles` refuses does not exist (a 404, or the next mount's file).
struct PublishedFolder: FileProvider {
    typealias FileAttributes = LocalFileSystem.FileAttributes
    typealias FileIdentifier = LocalFileSystem.FileIdentifier

    let files: LocalFileSystem
    let servable: ServableFiles

    init(files root: String, servable: ServableFiles, logger: Logger) {
        files = LocalFileSystem(rootFolder: root, threadPool: .singleton, logger: logger)
        self.servable = servable
    }

    func getFileIdentifier(_ path: String) -> FileIdentifier? {
        files.getFileIdentifier(path)
    }

    func getAttributes(id: FileIdentifier) async throws -> FileAttributes? {
        guard servable.allows(id) else { return nil }
        return try await files.getAttributes(id: id)
    }

    func loadFile(id: FileIdentifier, context: some RequestContext) async throws -> ResponseBody {
        try await files.loadFile(id: id, context: context)
    }

    func loadFile(id: FileIdentifier, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        try await files.loadFile(id: id, range: range, context: context)
    }
}
