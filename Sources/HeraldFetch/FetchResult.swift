/// What a GET brought back.
public enum FetchResult: Sendable, Equatable {
    /// 304: the copy kept from the last answer is still current.
    case notModified
    /// 200 (or a file): the body, and what to send next time to ask "changed since?".
    case fetched(FetchedBody)
}

public struct FetchedBody: Sendable, Equatable {
    public let bytes: [UInt8]
    public let etag: String?
    public let lastModified: String?
    /// The URL the body came from after redirects.
    public let finalURL: String
    /// The `Content-Type` the server gave, if any.
    public let contentType: String?

    public init(bytes: [UInt8], etag: String?, lastModified: String?, finalURL: String, contentType: String?) {
        self.bytes = bytes
        self.etag = etag
        self.lastModified = lastModified
        self.finalURL = finalURL
        self.contentType = contentType
    }
}
