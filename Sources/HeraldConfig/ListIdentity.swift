import Foundation

/// The List-Id value (RFC 2919) without angle brackets: `digest.list_id`,
/// else `NAME.host` of the base URL.
public enum ListIdentity {
    public static func of(_ publication: Publication) -> String {
        if let id = publication.digest.listID?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            return id.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        }
        let label = publication.name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" }
        return String(label) + "." + (publication.baseURL.host ?? "localhost")
    }
}
