import Foundation
import HeraldConfig
import HeraldState

/// Where a publication's state database lives: `--state-dir` when given, else the default
/// rules (`state:` in herald.yml, systemd's StateDirectory, XDG).
public enum StateFolder {
    public static func directory(for publication: Publication, override: String?) -> URL {
        override.map { URL(fileURLWithPath: $0) } ?? StateDatabase.defaultDirectory(for: publication)
    }
}
