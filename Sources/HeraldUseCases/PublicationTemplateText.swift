import Foundation
import HeraldBase

/// What the two `herald init` templates share: the commented mail keys, YAML quoting,
/// relative paths and the careful write (never over an existing herald.yml).
enum PublicationTemplateText {
    typealias Failure = PublicationTemplateFailure

    /// The digest and SMTP keys, which no site holds, commented out to fill in.
    static let mailKeys = """
        # The digest: fill these in to send mail (see docs/configuration.md).
        # digest:
        #   content: summary
        #   schedule: weekly Fri 15:00
        #   subject: "{{publication.title}} #{{digest.number}}"
        #   from: Name <weekly@example.org>
        # smtp:
        #   url: smtp://smtp.example.org:587
        #   starttls: required
        #   username: weekly@example.org
        #   password_file: /etc/herald/smtp-password

        """

    /// Writes `folder/herald.yml` (creating the folder), refusing to replace one.
    static func write(_ text: String, in folder: URL) throws(Failure) -> String {
        let file = folder.appendingPathComponent("herald.yml")
        guard !FileManager.default.fileExists(atPath: file.path) else { throw .exists(file.path) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file, options: .withoutOverwriting)
        } catch {
            throw .cannotWrite(file.path, error.localizedDescription)
        }
        return file.path
    }

    /// YAML double quotes when the value needs them.
    static func quoted(_ s: String) -> String {
        let plain =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || $0.properties.numericType != nil
                    || "-_./".unicodeScalars.contains($0)
            } && !["true", "false", "yes", "no", "null", "on", "off"].contains(s.lowercased())
        guard !plain else { return s }
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// `to` as a path relative to `from` (both absolute folders).
    static func relativePath(from: URL, to: URL) -> String {
        let a = from.standardizedFileURL.pathComponents
        let b = to.standardizedFileURL.pathComponents
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
