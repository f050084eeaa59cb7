/// The few words the default templates say themselves, in the publication's
/// language (Chinese for `zh*`, English otherwise). Templates reach them as
/// `{{labels.read_more}}`; an override template may simply write its own.
struct DigestLabels: Sendable {
    let readMore: String
    let unsubscribe: String
    let viewFeed: String
    let inThisIssue: String
    let youReceive: String
    let issue: String
    let previewNotice: String

    init(language: String) {
        if language.lowercased().hasPrefix("zh") {
            readMore = "阅读全文"
            unsubscribe = "退订"
            viewFeed = "RSS / Atom 订阅源"
            inThisIssue = "本期内容"
            youReceive = "你收到这封邮件，是因为订阅了"
            issue = "第 {n} 期"
            previewNotice = "预览：本邮件中的退订链接无效。"
        } else {
            readMore = "Read more"
            unsubscribe = "Unsubscribe"
            viewFeed = "View the feed"
            inThisIssue = "In this issue"
            youReceive = "You receive this email because you subscribed to"
            issue = "Issue #{n}"
            previewNotice = "Preview: the unsubscribe links in this message do not work."
        }
    }

    func context(number: Int) -> [String: Any] {
        ["read_more": readMore, "unsubscribe": unsubscribe, "view_feed": viewFeed, "in_this_issue": inThisIssue,
         "you_receive": youReceive, "issue": issue.replacingOccurrences(of: "{n}", with: String(number)),
         "preview_notice": previewNotice]
    }
}
