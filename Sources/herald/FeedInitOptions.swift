import ArgumentParser

/// What `herald init --feed` accepts: a name, and the feed gives the rest.
enum FeedInitOptions {
    static func validate(
        name: String?, hugo: String?, section: String?, baseURL: String?, title: String?, language: String?
    ) throws {
        if name == nil { throw ValidationError("Name the publication: herald init --feed URL NAME") }
        for (flag, value) in [
            ("--hugo", hugo), ("--section", section), ("--base-url", baseURL), ("--title", title), ("--language", language),
        ]
        where value != nil {
            throw ValidationError("\(flag) does not go with --feed: the feed gives it; change it in herald.yml afterwards")
        }
    }
}
