// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "avatar-site",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "avatar-site", targets: ["avatar-site"]),
        .library(name: "AvatarSite", targets: ["AvatarSite"]),
        .library(name: "AvatarSiteServer", targets: ["AvatarSiteServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CGD",
            pkgConfig: "gdlib",
            providers: [.apt(["libgd-dev"])]
        ),
        .systemLibrary(
            name: "CFontconfig",
            pkgConfig: "fontconfig",
            providers: [.apt(["libfontconfig-dev"])]
        ),
        .target(name: "CFileSystem"),
        // Pixel loops and the JPEG encoder (libjpeg comes with libgd-dev), optimised in every
        // build: unoptimised they are a hundred times slower and the tests would crawl.
        .target(name: "CImaging", cSettings: [.unsafeFlags(["-O3"])], linkerSettings: [.linkedLibrary("jpeg")]),
        .target(
            name: "SiteTemplates",
            path: "templates",
            // SwiftPM takes resources only from inside a target's folder, so templates/ is a
            // target of its own, with the one Swift file that finds them.
            resources: [.copy("hosting"), .copy("page")],
            swiftSettings: swiftSettings
        ),
        // The library by stage; each imports only the stages before it, so the compiler holds
        // the seams. The contract: what the site serves (ids, files, sizes, URL shapes) and
        // site.yml.
        .target(
            name: "AvatarSiteContract",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Decoding, resizing and encoding photos; drawing placeholders.
        .target(
            name: "AvatarSiteImaging",
            dependencies: [
                "AvatarSiteContract",
                "CGD",
                "CFontconfig",
                "CImaging",
            ],
            swiftSettings: swiftSettings
        ),
        // The directories: Graph, Outlook REST, EWS, users files; HTTP, retries, concurrency.
        .target(
            name: "AvatarSiteSources",
            dependencies: [
                "AvatarSiteContract",
                "AvatarSiteImaging",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The site (its files, page, hosting configs, publishing), the build pipeline, check
        // and upload.
        .target(
            name: "AvatarSite",
            dependencies: [
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                "CGD",
                "CFileSystem",
                "CFontconfig",
                "CImaging",
                "SiteTemplates",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DemoTenant",
            dependencies: [
                "AvatarSite",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `avatar-site serve`: answers the site's URLs as its nginx configuration does. A target
        // of its own, so that the core library does not depend on a web server.
        .target(
            name: "AvatarSiteServer",
            dependencies: [
                "AvatarSite",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "avatar-site",
            dependencies: [
                "AvatarSite",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                "AvatarSiteServer",
                "DemoTenant",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "avatar-site-bench",
            dependencies: [
                "AvatarSite",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AvatarSiteTestSupport",
            dependencies: [
                "AvatarSite",
                "AvatarSiteServer",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                "DemoTenant",
                "CGD",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tests that start no server and no process: `swift test --filter AvatarSiteUnitTests`.
        .testTarget(
            name: "AvatarSiteUnitTests",
            dependencies: [
                "AvatarSite",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                "AvatarSiteServer",
                "DemoTenant",
                "AvatarSiteTestSupport",
                "CGD",
                "SiteTemplates",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // Golden images are read from the source tree, so they can be recorded again in place.
            exclude: ["Goldens"],
            swiftSettings: swiftSettings
        ),
        // Integration (the build, serve and upload against loopback servers and the demo tenant),
        // and in System/ the suites that drive real nginx, Chromium, S3 (moto), systemd, dpkg, promtool.
        .testTarget(
            name: "AvatarSiteTests",
            dependencies: [
                "AvatarSite",
                "AvatarSiteContract",
                "AvatarSiteImaging",
                "AvatarSiteSources",
                "AvatarSiteServer",
                "DemoTenant",
                "AvatarSiteTestSupport",
                "CGD",
                "SiteTemplates",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
