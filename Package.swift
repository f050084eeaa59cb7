// swift-tools-version:6.1
import PackageDescription

// Swift 6 language mode everywhere; existential `any` spelled out so protocol
// costs are visible.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees only the members of modules it imports itself, so an import list says what a file uses.
    .enableUpcomingFeature("MemberImportVisibility"),
]

// The pipeline, one way (each arrow: "is used by"):
//   HeraldBase → HeraldConfig → HeraldContent → HeraldFeeds ────────────┐
//   HeraldBase → HeraldFetch (feeds in, over libcurl) ───────────────────┤
//                            └→ HeraldState → HeraldMail → HeraldDigest ─┴→ HeraldUseCases → herald (CLI)
//   HeraldContent → HeraldDigest; HeraldServe (Config, State, Mail, Digest) → herald.
// Mail is the wire (MIME, DKIM, SMTP, journaled delivery, bounces) and sees no post or template;
// Digest is what a digest says and writes it with Mail's MIME builder. The CLI sees only
// HeraldUseCases, HeraldServe and, for argument types, HeraldBase and HeraldConfig.
// A target sees only what it names, so the compiler refuses a use up or across the pipeline;
// Tests/peers/test_layout.py holds the rest (sideways uses, the CLI's imports, tests per target).
let package = Package(
    name: "herald",
    // Linux only: the C shims and the systemd deployment are Linux's; no other platform is built or tested.
    products: [
        .executable(name: "herald", targets: ["herald"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        // TOML front matter and Hugo's hugo.toml (wraps toml++).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // State in PostgreSQL beside the SQLite default.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C libraries, each behind one small target. Nothing above the Swift type that wraps
        // one (XMLWriter, Markdown, CurlEasy) sees a C pointer.
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // libcurl behind typed wrappers (curl_easy_setopt is variadic, which Swift cannot call),
        // loaded on first use rather than linked: see Sources/CCurl/include/CCurl.h.
        .target(name: "CCurl"),
        // IDNA / UTS 46 for mail domains.
        .systemLibrary(
            name: "CIDN2", pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]),
        // GNU extensions of libc that Glibc's Swift module does not export (O_DIRECT, sync_file_range).
        .target(name: "CPOSIX"),

        // The herald binary carries its default templates and its herald.yml reference
        // (generated Swift sources), so a release binary copied alone works.
        .executableTarget(name: "HeraldEmbed"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["HeraldEmbed"]),

        // Problems and exit statuses, the text toolkit, dates, addresses, POSIX files and locks.
        .target(
            name: "HeraldBase",
            dependencies: ["CPOSIX", "CIDN2"],
            swiftSettings: swiftSettings),
        // A feed fetched over HTTP(S) with libcurl (or read from file://) for a publication whose
        // posts come from another site's feed. Below Content and Mail: it knows no post and no mail.
        .target(
            name: "HeraldFetch",
            dependencies: ["HeraldBase", "CCurl"],
            swiftSettings: swiftSettings),
        // herald.yml read into typed, checked settings.
        .target(
            name: "HeraldConfig",
            dependencies: ["HeraldBase", .product(name: "Yams", package: "Yams"), .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]),
        // Posts: front matter, Markdown, plain text, HTML sanitizing. No email or feed knowledge.
        .target(
            name: "HeraldContent",
            dependencies: [
                "HeraldBase", "HeraldConfig", "CCmarkGFM", "CLibXML2", .product(name: "Yams", package: "Yams"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                // The scan cache's digests: of the inputs it was made from, and of racy files.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // Atom and RSS over libxml2.
        .target(
            name: "HeraldFeeds",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldContent", "CLibXML2", "CPOSIX",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]),
        // Subscribers and the delivery journal: in SQLite by default, or in PostgreSQL.
        .target(
            name: "HeraldState",
            dependencies: [
                "HeraldBase", "HeraldConfig", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // How a message travels: MIME, DKIM, SMTP through libcurl, Maildir, journaled delivery,
        // bounce reports. It never sees a post or a template.
        .target(
            name: "HeraldMail",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldState", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // What a digest says: which posts, the Mustache templates and labels, the HTML and text
        // layout, the archive pages; written as messages with HeraldMail's MIME builder.
        .target(
            name: "HeraldDigest",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldContent", "HeraldState", "HeraldMail",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]),
        // What each command does, one use case each: check, build, preview, send, run, status,
        // subscribers, tokens, bounces, templates, keys. The CLI calls one of these per command.
        .target(
            name: "HeraldUseCases",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldFetch", "HeraldContent", "HeraldFeeds", "HeraldState", "HeraldMail",
                "HeraldDigest", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // `herald serve`: the subscribers' web pages, one-click unsubscribe and the output folder.
        .target(
            name: "HeraldServe",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldState", "HeraldMail", "HeraldDigest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"), // a channel handler before the router
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]),
        // The CLI: arguments, printing, and the one map from an error to its exit status.
        .executableTarget(
            name: "herald",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldUseCases", "HeraldServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["exports.map"],
            swiftSettings: swiftSettings,
            // Export only main (see exports.map for why).
            linkerSettings: [
                .unsafeFlags(["-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/herald/exports.map"])
            ],
            plugins: ["EmbedFiles"]),
        // The sender and journal alone into a real SMTP sink (bench/mail.sh); not a test.
        .executableTarget(
            name: "herald-sender-bench",
            dependencies: ["HeraldBase", "HeraldConfig", "HeraldState", "HeraldMail", .product(name: "Logging", package: "swift-log")],
            path: "bench/SenderBench",
            swiftSettings: swiftSettings),

        // Tests mirror the targets: HeraldXTests tests HeraldX. What several share (scratch
        // folders, a message's parts) is in HeraldTestSupport.
        .target(
            name: "HeraldTestSupport",
            dependencies: ["HeraldBase", "HeraldConfig", "HeraldContent", "HeraldState"],
            path: "Tests/HeraldTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "HeraldBaseTests", dependencies: ["HeraldBase", "HeraldTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldFetchTests", dependencies: ["HeraldBase", "HeraldFetch", "HeraldTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldConfigTests", dependencies: ["HeraldBase", "HeraldConfig", "HeraldTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldContentTests",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldContent", "HeraldTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldFeedsTests",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldContent", "HeraldFeeds", "HeraldTestSupport",
                "CLibXML2",
            ], // the plain way the feed writer's escaping is held to
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldStateTests",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldState", "HeraldTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), // a state as older versions left it
                .product(name: "PostgresNIO", package: "postgres-nio"), // rows set up by hand in the PostgreSQL state
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldMailTests",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldState", "HeraldMail", "HeraldTestSupport", "CCurl",
                .product(name: "Crypto", package: "swift-crypto"), // the plain way the DKIM signer is held to
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldDigestTests",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldContent", "HeraldState", "HeraldMail", "HeraldDigest",
                "HeraldTestSupport",
                .product(name: "Mustache", package: "swift-mustache"),
            ], // the plain way the cache's escaping is held to
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldUseCasesTests",
            dependencies: [
                "HeraldBase", "HeraldConfig", "HeraldState", "HeraldUseCases", "HeraldTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldServeTests",
            dependencies: [
                "HeraldConfig", "HeraldFeeds", "HeraldDigest", "HeraldServe", "HeraldTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ], // the 304 replay in a pipeline of its own
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
