#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Lists the `*.md` files below the posts folder with readdir: the file type comes with
/// each entry, where FileManager's enumerator asks for resource values file by file.
/// Hidden names (.git, editor swap files)
/// are skipped, and so is Hugo's `_index.md`, which describes a section's list page,
/// not a post; symlinked files are followed, symlinked folders are not (no loops).
package enum PostFiles {
    package static func list(under root: String) -> [String] {
        var files: [String] = []
        var pending = [root.hasSuffix("/") ? String(root.dropLast()) : root]
        while let dir = pending.popLast() {
            guard let handle = opendir(dir) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                guard !name.hasPrefix("."), name != "_index.md" else { continue }
                let path = dir + "/" + name
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_DIR): pending.append(path)
                case Int32(DT_REG): if name.hasSuffix(".md") { files.append(path) }
                default:
                    // Symlinks and file systems that do not report a type.
                    var info = stat()
                    guard name.hasSuffix(".md"), stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                    files.append(path)
                }
            }
        }
        // String order is Unicode scalar order, not the locale's: the same on every machine.
        return files.sorted()
    }
}
