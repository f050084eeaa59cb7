import Foundation

/// One digest as the state database remembers it. The next digest holds the
/// published posts newer than `newestPostDate` of the last digest that was sent.
public struct DigestRecord: Sendable, Hashable {
    /// 1, 2, 3… per publication.
    public let number: Int
    /// Permalinks of the posts it holds, newest first.
    public let postIDs: [String]
    public let subject: String
    public let createdAt: Date
    /// Date of the newest post in it: the next digest starts after this.
    public let newestPostDate: Date

    public init(number: Int, postIDs: [String], subject: String, createdAt: Date, newestPostDate: Date) {
        self.number = number
        self.postIDs = postIDs
        self.subject = subject
        self.createdAt = createdAt
        self.newestPostDate = newestPostDate
    }
}
