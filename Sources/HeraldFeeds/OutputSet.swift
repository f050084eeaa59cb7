import Foundation
import HeraldBase
import HeraldConfig

#if canImport(Glibc)
    import Glibc
#endif

/// The output folder of one publication: the record of its last build (kept in the
/// state folder), and the removal of feeds that the new build no longer has (a tag
/// nobody uses any more).
struct OutputSet {
    let root: URL
    let stateDirectory: URL

    var recordPath: String { stateDirectory.appendingPathComponent(BuildRecord.fileName).path }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The last build's record for this output folder; nil when there is none, it cannot be
    /// read, or it was for another folder (then everything is rebuilt, which is always safe).
    var previous: BuildRecord? {
        if let record = Self.read(recordPath) { return record.output == root.path ? record : nil }
        return Self.read(path(BuildRecord.legacyFileName))
    }

    private static func read(_ path: String) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(BuildRecord.self, from: data)
    }

    func allPresent(_ files: [String]) -> Bool {
        files.allSatisfy { access(path($0), F_OK) == 0 }
    }

    /// Removes files the previous build wrote that `current` does not list, then their
    /// folders if emptied. Call only once the new set is complete on disk.
    func removeStale(previous: BuildRecord?, current: Set<String>) -> [String] {
        guard let previous else { return [] }
        var removed: [String] = []
        for file in previous.files where !current.contains(file) && Self.isInside(file) {
            if unlink(path(file)) == 0 || errno == ENOENT { removed.append(file) }
            var folder = (file as NSString).deletingLastPathComponent
            // rmdir fails on a non-empty folder, which is what keeps other files safe.
            while !folder.isEmpty, rmdir(path(folder)) == 0 {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        return removed
    }

    /// Removes temporary files an interrupted build left in `folders` (relative). Only
    /// names `AtomicFile` makes for feed files (`.atom.xml.tmp-…`, `.3.rss.tmp-…`) are touched.
    func removeLeftovers(in folders: Set<String>, names: Set<String>) {
        let prefixes = names.union(SiteLayout.Name.feeds).map { AtomicFile.temporaryPrefix(for: $0) }
        for folder in folders {
            let dir = folder.isEmpty ? root.path : path(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where prefixes.contains(where: name.hasPrefix) {
                unlink(dir + "/" + name)
            }
        }
    }

    /// Writes `record` (for this folder) to the state folder, creating it, then removes a
    /// legacy record from the output folder.
    func save(_ record: BuildRecord) throws(FileError) {
        var record = record
        record.output = root.path
        do {
            try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: stateDirectory.path, message: "cannot create the state folder: \(error.localizedDescription)")
        }
        // Not fsynced (the feeds it lists are, before it is written): a record a power cut
        // tears does not decode, and one lost leaves the last one, whose fingerprint no
        // longer matches: either way the next build rebuilds, which a record only saves.
        do {
            try ScratchFile.write(Array(record.encoded()), to: recordPath, through: recordPath + ".tmp-\(getpid())")
        } catch {
            throw FileError(path: recordPath, message: "cannot write the build record: \(error.reason)")
        }
        unlink(path(BuildRecord.legacyFileName))
    }

    /// A record edited by hand must not make herald delete outside the output folder.
    private static func isInside(_ relative: String) -> Bool {
        !relative.hasPrefix("/") && !relative.split(separator: "/").contains("..")
    }
}
