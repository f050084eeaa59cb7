import Yams

/// One value of a Hugo site's configuration, keys lower-cased: Hugo's config keys are
/// case-insensitive (`baseURL`, `baseurl` and `BaseURL` are one key).
package indirect enum HugoConfigValue: Sendable, Equatable {
    case scalar(String)
    case list([HugoConfigValue])
    case table([String: HugoConfigValue])

    init(_ node: Node) {
        switch node {
        case .scalar(let s): self = .scalar(s.string)
        case .sequence(let items): self = .list(items.map(HugoConfigValue.init))
        case .mapping(let pairs):
            var table: [String: HugoConfigValue] = [:]
            for (k, v) in pairs { if let key = k.scalar?.string { table[key.lowercased()] = HugoConfigValue(v) } }
            self = .table(table)
        case .alias: self = .scalar("")
        }
    }

    package subscript(_ key: String) -> HugoConfigValue? {
        if case .table(let t) = self { t[key] } else { nil }
    }

    /// A dotted path: `languages.en.params.description`.
    package func at(_ path: String) -> HugoConfigValue? {
        path.split(separator: ".").reduce(Optional(self)) { $0?[String($1)] }
    }

    package var string: String? { if case .scalar(let s) = self { s } else { nil } }

    package var bool: Bool? {
        switch string?.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    package var int: Int? { string.flatMap { Int($0) ?? Double($0).map { Int($0) } } }

    package var strings: [String] {
        switch self {
        case .scalar(let s): [s]
        case .list(let items): items.compactMap(\.string)
        case .table: []
        }
    }

    package var table: [String: HugoConfigValue] { if case .table(let t) = self { t } else { [:] } }

    /// `other` laid over this one, table by table: what `other` sets wins.
    func merged(with other: HugoConfigValue) -> HugoConfigValue {
        guard case .table(var mine) = self, case .table(let theirs) = other else { return other }
        for (key, value) in theirs { mine[key] = mine[key].map { $0.merged(with: value) } ?? value }
        return .table(mine)
    }
}
