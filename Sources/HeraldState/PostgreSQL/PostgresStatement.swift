import NIOCore
import PostgresNIO

/// The text of a statement `PostgresSession.execute` prepares once per connection.
/// Its result columns must be `text` (cast them): postgres-nio's prepared-query path asks
/// for binary results but decodes them by the statement's description, which says text,
/// and only text reads the same both ways.
package struct PostgresStatement: Sendable {
    package let sql: String

    package init(_ sql: String) { self.sql = sql }
}

/// The arguments of one run of a `PostgresStatement`, in the order of its `$n`, each
/// encoded in binary as its type (which the statement's cast must name).
package struct PostgresArguments {
    private(set) var values: [PostgresData] = []

    package init() {}

    package mutating func append<Value: PostgresNonThrowingEncodable>(_ value: Value) {
        var buffer = ByteBuffer()
        value.encode(into: &buffer, context: .default)
        values.append(PostgresData(type: Value.psqlType, formatCode: Value.psqlFormat, value: buffer))
    }
}
