/// An author: the publication's default or a post's own (`author` + `authorlink`).
public struct Person: Sendable, Hashable, Codable {
    public var name: String
    public var uri: String?
    public var email: String?

    public init(name: String, uri: String? = nil, email: String? = nil) {
        self.name = name
        self.uri = uri
        self.email = email
    }
}
