/// One GET: the URL, what the last answer said (for a conditional request), and the limits.
public struct FetchRequest: Sendable {
    /// http(s) or file.
    public var url: String
    /// The `ETag` and `Last-Modified` of the last full answer; the server answers 304 when
    /// nothing changed.
    public var etag: String?
    public var lastModified: String?
    /// Seconds for the whole transfer, connection included.
    public var timeout: Int
    /// Bytes of body (after gzip is undone) beyond which the transfer stops.
    public var maxBytes: Int
    /// Redirects followed before giving up.
    public var maxRedirects: Int

    public static let defaultTimeout = 30
    public static let defaultMaxBytes = 16 << 20
    public static let defaultMaxRedirects = 5

    public init(
        url: String, etag: String? = nil, lastModified: String? = nil, timeout: Int = Self.defaultTimeout,
        maxBytes: Int = Self.defaultMaxBytes, maxRedirects: Int = Self.defaultMaxRedirects
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }
}
