/// `path:` in herald.yml: where on the site, below `base_url`, a publication's own files
/// live. It becomes a folder under the site's output folder and a prefix of the server's
/// routes, so only plain segments are taken: nothing that climbs out (`..`), no empty or
/// `.` segment, no address of another site, no character a URL or a file name would
/// change or refuse.
enum SitePath {
    static func parse(_ written: String) throws(ConfigValueError) -> String {
        let example = "such as /blog/ or /en/news/"
        if written.contains("://") || written.hasPrefix("//") {
            throw ConfigValueError(
                "is a path on the site (\(example)), not an address: the site's address is base_url")
        }
        if let bad = written.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ConfigValueError(
                "contains the control character U+\(String(bad.value, radix: 16, uppercase: true)); write a path \(example)")
        }
        if let bad = written.first(where: { "\\?#%\"'<>` ".contains($0) }) {
            throw ConfigValueError(
                "contains \(String(bad).debugDescription), which a URL path or a folder name would change; write a path \(example)")
        }
        let segments = written.split(separator: "/", omittingEmptySubsequences: false)
        let inner = segments.dropFirst(written.hasPrefix("/") ? 1 : 0).dropLast(written.hasSuffix("/") ? 1 : 0)
        if written != "/", written != "", inner.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw ConfigValueError(
                "\(written.debugDescription) has an empty, . or .. segment: the publication's files must stay inside the site; "
                    + "write a path \(example)")
        }
        let joined = inner.joined(separator: "/")
        if joined.utf8.count > 1024 { throw ConfigValueError("is longer than 1024 bytes") }
        return joined.isEmpty ? "/" : "/" + joined + "/"
    }
}
