import Foundation
import HeraldBase
import HeraldConfig

extension StateServer {
    /// The database password: `HERALD_STATE_PASSWORD`, else the file `state_password_file`
    /// names, else the systemd credential `$CREDENTIALS_DIRECTORY/state-password`; nil when
    /// none is set (the server may trust the connection). Never printed, never logged.
    public func password(file: URL?, environment: [String: String]) throws(PostgresStateError) -> String? {
        if let value = environment["HERALD_STATE_PASSWORD"], !value.isEmpty { return value }
        var path = file?.path
        if path == nil, let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent("state-password").path
            if FileManager.default.fileExists(atPath: candidate) { path = candidate }
        }
        guard let path else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .passwordFile(path: path)
        }
        // A trailing newline from `echo secret > file` is not part of the password.
        let trimmed = text.trimmingCharacters(in: .newlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
