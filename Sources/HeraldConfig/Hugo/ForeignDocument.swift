import Foundation
import TOMLKit
import Yams

/// TOML and JSON documents (Hugo's other front matter and config formats) as the Yams nodes
/// the YAML readers already walk, so one reader serves all three. Every scalar becomes a
/// string, as the YAML readers see them (Herald parses dates and booleans itself).
package enum ForeignDocument {
    package struct Failure: Error {
        package let message: String
        /// 1-based line in the document, when the parser says.
        package let line: Int?
    }

    package static func toml(_ text: String) throws(Failure) -> Node {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw Failure(message: error.description, line: error.source.begin.line)
        } catch {
            throw Failure(message: "\(error)", line: nil)
        }
        return node(table)
    }

    package static func json(_ text: String) throws(Failure) -> Node {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) } catch {
            throw Failure(message: "not valid JSON", line: nil)
        }
        return value.node
    }

    private static func node(_ table: TOMLTable) -> Node {
        .mapping(
            Node.Mapping(
                table.keys.compactMap { key in
                    table[key].map { (Node(key), node($0.tomlValue)) }
                }))
    }

    private static func node(_ value: TOMLValue) -> Node {
        switch value.type {
        case .table: return value.table.map(node) ?? Node("")
        case .array: return .sequence(Node.Sequence((value.array.map(Array.init) ?? []).map { node($0.tomlValue) }))
        case .string: return Node(value.string ?? "", .implicit, .doubleQuoted)
        case .int: return Node(String(value.int ?? 0))
        case .double: return Node(String(value.double ?? 0))
        case .bool: return Node(value.bool == true ? "true" : "false")
        case .date: return Node(value.date.map(format) ?? "")
        case .time: return Node(value.time.map(format) ?? "")
        case .dateTime:
            guard let t = value.dateTime else { return Node("") }
            var s = format(t.date) + "T" + format(t.time)
            if let minutes = t.offset?.offset {
                s += minutes == 0 ? "Z" : String(format: "%@%02d:%02d", minutes < 0 ? "-" : "+", abs(minutes) / 60, abs(minutes) % 60)
            }
            return Node(s)
        }
    }

    private static func format(_ d: TOMLDate) -> String { String(format: "%04d-%02d-%02d", d.year, d.month, d.day) }

    private static func format(_ t: TOMLTime) -> String {
        let base = String(format: "%02d:%02d:%02d", t.hour, t.minute, t.second)
        guard t.nanoSecond > 0 else { return base }
        var fraction = String(format: "%09d", t.nanoSecond)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return base + "." + fraction
    }
}

/// A JSON document read with JSONDecoder, keeping booleans apart from numbers.
private enum JSONValue: Decodable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
            self = .array(items)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONValue] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(members)
        } else {
            let one = try decoder.singleValueContainer()
            if one.decodeNil() {
                self = .null
            } else if let b = try? one.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? one.decode(Int.self) {
                self = .number(String(i))
            } else if let d = try? one.decode(Double.self) {
                self = .number(String(d))
            } else {
                self = .string(try one.decode(String.self))
            }
        }
    }

    var node: Node {
        switch self {
        case .string(let s): Node(s, .implicit, .doubleQuoted)
        case .number(let s): Node(s)
        case .bool(let b): Node(b ? "true" : "false")
        case .null: Node("")
        case .array(let items): .sequence(Node.Sequence(items.map(\.node)))
        case .object(let members): .mapping(Node.Mapping(members.sorted { $0.key < $1.key }.map { (Node($0.key), $0.value.node) }))
        }
    }

    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
