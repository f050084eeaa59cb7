/// A file or folder that could not be written, with what to check:
/// `public/example/atom.xml: could not rename …: Permission denied`.
public struct FileError: ExitStatusError, Sendable {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
    public var exitStatus: ExitStatus { .cantCreate }
}
