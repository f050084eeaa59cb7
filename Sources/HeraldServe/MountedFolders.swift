import Foundation

/// The publications' output folders by the URL path each is served at, in the order the
/// router's FileMiddlewares look: deepest first, so `/news/atom.xml` is the /news/
/// publication's file even when the publication at / has a news folder, and a file missing
/// there is looked for in the next. `GzipFilesMiddleware` and `NotModifiedCache` find files
/// here, so they always mean the file the router serves; what a folder's `ServableFiles`
/// refuses is, here as for the router, not there.
struct MountedFolders: Sendable {
    /// URL path prefix ("/" or "/news/"), folder path ending in "/", and what may be served from it.
    let mounts: [(path: String, folder: String, servable: ServableFiles)]

    init(_ mounts: [(path: String, folder: URL, servable: ServableFiles)]) {
        self.mounts = mounts.sorted { $0.path.count > $1.path.count }.map { mount in
            let folder = mount.folder.path
            return (mount.path, folder.hasSuffix("/") ? folder : folder + "/", mount.servable)
        }
    }

    /// Where the mount at `index` keeps what a (percent-decoded) URL path names, if the path is under it.
    func location(of path: String, in index: Int) -> String? {
        let mount = mounts[index]
        guard path.hasPrefix(mount.path) else { return nil }
        let rest = path.dropFirst(mount.path.count)
        return mount.folder + (rest.isEmpty || rest.hasSuffix("/") ? rest + "index.html" : rest)
    }

    /// A file as found: which mount it is in, its path, and what `stat` said.
    struct File: Sendable {
        let mount: Int
        let path: String
        let identity: FileIdentity
    }

    /// The regular file the router serves for a URL path: the first mount in order that has
    /// something there; nil if that is not a regular file or none has anything.
    func file(for path: String) -> File? {
        for index in mounts.indices {
            guard let location = location(of: path, in: index) else { continue }
            switch FileIdentity.look(at: location) {
            case .nothing: continue
            case .file where !mounts[index].servable.allows(location): continue
            case .file(let identity): return File(mount: index, path: location, identity: identity)
            case .other: return nil
            }
        }
        return nil
    }

    /// Whether a mount looked at before `index` has something at the path.
    func isShadowed(_ path: String, before index: Int) -> Bool {
        (0..<index).contains { earlier in
            guard let location = location(of: path, in: earlier) else { return false }
            if case .nothing = FileIdentity.look(at: location) { return false }
            return mounts[earlier].servable.allows(location)
        }
    }
}
