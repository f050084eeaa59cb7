import Foundation
import HeraldBase

/// `dkim:` in herald.yml: sign every digest (RFC 6376; Ed25519 after RFC 8463).
public struct DKIMSettings: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case ed25519 = "ed25519-sha256"
        case rsa = "rsa-sha256"
    }

    /// `d=`: the signing domain, normally the From address's.
    public let domain: String
    /// `s=`: the DNS record is `SELECTOR._domainkey.DOMAIN`.
    public let selector: String
    /// PEM private key, relative to herald.yml; nil: the systemd credential `dkim-key`.
    public let keyFile: String?
    public let algorithm: Algorithm

    public init(domain: String, selector: String, keyFile: String?, algorithm: Algorithm) {
        self.domain = domain
        self.selector = selector
        self.keyFile = keyFile
        self.algorithm = algorithm
    }

    init?(yaml: YAMLMapping?, log: ProblemLog) {
        guard var yaml else { return nil }
        let domain = log.attempt { try yaml.value("domain", Self.domainName) }
        let selector = log.attempt { try yaml.value("selector", Self.selectorName) }
        keyFile = log.attempt { try yaml.string("key_file") }
        algorithm = log.attempt { try yaml.choice("algorithm", Algorithm.self) } ?? .ed25519
        yaml.unknownKeys().forEach(log.add)
        if domain == nil, !yaml.has("domain") { log.add(yaml.problem(yaml.line, "missing required key \"dkim.domain\"")) }
        if selector == nil, !yaml.has("selector") { log.add(yaml.problem(yaml.line, "missing required key \"dkim.selector\"")) }
        guard let domain, let selector else { return nil }
        self.domain = domain
        self.selector = selector
    }

    private static func domainName(_ text: String) throws(ConfigValueError) -> String {
        do { return try DomainName(text).ascii } catch { throw ConfigValueError(error.reason) }
    }

    /// A selector is one or more DNS labels.
    private static func selectorName(_ text: String) throws(ConfigValueError) -> String {
        let ok =
            !text.isEmpty
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
        guard ok else { throw ConfigValueError("\(text.debugDescription) is not a DNS label such as 2026 or mail") }
        return text
    }
}
