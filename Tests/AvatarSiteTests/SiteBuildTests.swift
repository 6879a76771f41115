@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging
@testable import AvatarSiteSources

/// Whole builds over real loopback HTTP against the demo tenant.
@Suite struct SiteBuildTests {
    /// A photo whose left half is red and right half blue, 800x600: the centre crop keeps x 100…699.
    static let gradientUser = DemoUser(
        id: "gradient-user", fields: ["displayName": "Grace Gradient", "mail": "grace@contoso.example"],
        photo: .raw(TestImages.jpeg(width: 800, height: 600), width: 800, height: 600))
    static let pngUser = DemoUser(
        id: "png-user", fields: ["displayName": "Pat Png"],
        photo: .raw(TestImages.png(width: 300, height: 300, left: (0, 160, 0), right: (0, 160, 0)), width: 300, height: 300))

    static func tenantConfiguration(users: Int, extra: [DemoUser] = [], pageSize: Int = 7) -> DemoTenantConfiguration {
        var configuration = DemoTenantConfiguration(userCount: users, seed: 7)
        configuration.extraUsers = extra
        configuration.maxPageSize = pageSize
        return configuration
    }

    /// Should list every page and write exactly the tenant's enabled users, each with every file.
    @Test func buildsEveryUserAcrossPages() async throws {
        let demo = Self.tenantConfiguration(users: 60, extra: [Self.gradientUser, Self.pngUser])
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
                configuration.source.users.pageSize = 999
                return try await SiteBuildFixture.build(configuration, demo: demo)
            }
            let expected = Set(tenant.enabledUsers.map(\.id))
            #expect(expected.count > 55)
            #expect(report.exitCode == 0)
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.requests.requestsByKind["list_users"] == (expected.count + 6) / 7)
            #expect(tenant.requestsByRoute["users"] == (expected.count + 6) / 7)
            // One token for the whole build: it is cached until shortly before it expires.
            #expect(report.requests.requestsByKind["token"] == 1)

            let index = try SiteFiles.usersDocument(in: folder)
            #expect(Set(index.value.map(\.id)) == expected)
            #expect(index.value.count == expected.count)
            #expect(index.sizes == PhotoSize.graphSizes.map(\.description))

            let site = SiteFiles(root: folder)
            for entry in index.value {
                let user = try #require(tenant.enabledUsers.first { $0.id == entry.id })
                #expect(entry.placeholder == (user.photo.largestSize == nil), "\(entry.id)")
                try site.expectCompleteUser(entry.id, placeholder: entry.placeholder)
                #expect(entry.fields["displayName"] == user.fields["displayName"].map(JSONValue.string))
            }
            // The photo users' metadata says the true source size.
            for user in tenant.enabledUsers {
                guard case .portrait(_, let width, let height) = user.photo else { continue }
                let photo = try site.photoDocument(user.id)
                #expect(photo.width == min(width, height))
                #expect(photo.placeholder == nil)
            }
        }
    }

    /// Should centre-crop a non-square photo and keep its colours where they were.
    @Test func cropsAndResizesTheUsersOwnPhoto() async throws {
        let demo = Self.tenantConfiguration(users: 0, extra: [Self.gradientUser, Self.pngUser])
        try await withTemporaryDirectory { folder in
            let report = try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(
                    SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder), demo: demo)
            }
            #expect(report.counts.photos == 2)
            let site = SiteFiles(root: folder)
            let photo = try site.photoDocument("gradient-user")
            #expect(photo.width == 600 && photo.height == 600 && photo.id == "600X600")

            let small = try site.data("users/gradient-user/photos/48x48.jpg")
            let left = try #require(TestImages.pixel(small, x: 1, y: 24))
            let right = try #require(TestImages.pixel(small, x: 46, y: 24))
            // Crop x 100…699 of an 800 px red→blue ramp: the left edge is mostly red, the right mostly blue.
            #expect(left.red > 170 && left.blue < 90, "\(left)")
            #expect(right.blue > 170 && right.red < 90, "\(right)")

            let upscaled = try site.sizeDocument("gradient-user", PhotoSize(side: 648))
            #expect(upscaled.upscaledFrom == "600X600")
            #expect(try site.sizeDocument("gradient-user", PhotoSize(side: 504)).upscaledFrom == nil)

            let green = try #require(TestImages.pixel(try site.data("users/png-user/photos/96x96.jpg"), x: 48, y: 48))
            #expect(green.green > 130 && green.red < 40 && green.blue < 40, "\(green)")
        }
    }

    /// Should write no field the site was not told to publish, though the API returned it.
    @Test func writesOnlyPublicFields() async throws {
        let demo = Self.tenantConfiguration(users: 25)
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            _ = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
                configuration.source.users.fields = ["id", "displayName", "mobilePhone", "userPrincipalName"]
                configuration.output.publicFields = ["displayName", "jobTitle"]
                return try await SiteBuildFixture.build(configuration, demo: demo)
            }
            let phones = tenant.enabledUsers.compactMap { $0.fields["mobilePhone"] }
            let principals = tenant.enabledUsers.compactMap { $0.fields["userPrincipalName"] }
            #expect(phones.count == tenant.enabledUsers.count)
            for file in filesBelow(folder) {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
                // The page's own script names every field it has a label for; no value is in it.
                let names = file.hasPrefix("assets/app.") ? [] : ["mobilePhone", "userPrincipalName"]
                let leaks = (names + phones + principals).filter { bytes.range(of: Data($0.utf8)) != nil }
                #expect(leaks.isEmpty, "\(file) holds \(leaks.count) private values, first \(leaks.first ?? "")")
            }
        }
    }

    /// Should give users without a photo a placeholder, for both ways Graph says "no photo".
    @Test func drawsPlaceholdersForUsersWithoutPhotos() async throws {
        let demo = Self.tenantConfiguration(users: 0, extra: [
            DemoUser(id: "no-photo-404", fields: ["givenName": "Zoë", "surname": "Ångström", "displayName": "Zoë Ångström"],
                     photo: .none),
            DemoUser(id: "no-photo-1x1", fields: ["displayName": "Ivan Petrov"], photo: .oneByOne),
        ])
        try await withTemporaryDirectory { folder in
            let report = try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(
                    SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder), demo: demo)
            }
            #expect(report.exitCode == 0)
            #expect(report.counts.placeholders == 2)
            #expect(report.requests.requestsByKind["photo_bytes"] == nil)
            let site = SiteFiles(root: folder)
            for id in ["no-photo-404", "no-photo-1x1"] {
                try site.expectCompleteUser(id, placeholder: true)
                let image = try site.data("users/\(id)/photos/240x240.jpg")
                // Initials drawn on the background: far more than the one colour of an empty square.
                #expect(TestImages.distinctColors(image) > 20)
            }
        }
    }

    /// Should never write a path built from a hostile id, and should say so in the report.
    @Test func neverWritesHostileIDs() async throws {
        let hostile = ["../x", "a/b", "nul\u{0}byte", String(repeating: "k", count: 300), "..", "/etc/passwd", "%2e%2e"]
        let demo = Self.tenantConfiguration(users: 3, extra: hostile.map {
            DemoUser(id: $0, fields: ["displayName": "Mallory"], photo: .portrait(variant: 1, width: 120, height: 120))
        })
        try await withTemporaryDirectory { folder in
            let output = folder.appendingPathComponent("site")
            let report = try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(
                    SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: output), demo: demo)
            }
            #expect(report.exitCode == 1)
            #expect(report.counts.skipped == hostile.count)
            #expect(report.failures.filter { $0.kind == "unsafe_id" }.count == hostile.count)
            // Nothing outside the output folder, and only safe names inside it.
            #expect(filesBelow(folder).allSatisfy { $0.hasPrefix("site/") })
            let index = try SiteFiles.usersDocument(in: output)
            #expect(index.value.count == report.counts.written)
            for file in filesBelow(output) {
                #expect(!file.contains("..") && !file.contains("kkkkkkkk") && !file.contains("Mallory"), "\(file)")
            }
            let userFolders = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("users").path)
            #expect(Set(userFolders) == Set(index.value.map(\.id)))
        }
    }

    /// Should survive photos that are not images, are cut short or claim enormous sizes, report
    /// them per user, and still give those users (provisional) placeholders.
    @Test func survivesBrokenPhotos() async throws {
        let good = TestImages.jpeg(width: 200, height: 200)
        let broken: [(String, Data)] = [
            ("not-an-image", Data("<html>Sign in to continue</html>".utf8)),
            ("truncated", good.prefix(good.count / 2)),
            ("pixel-bomb", TestImages.pixelBomb()),
            ("empty", Data()),
        ]
        let demo = Self.tenantConfiguration(users: 0, extra: broken.map {
            DemoUser(id: $0.0, fields: ["displayName": "Broken \($0.0)"], photo: .raw($0.1, width: 200, height: 200))
        } + [DemoUser(id: "fine", fields: ["displayName": "Fine"], photo: .raw(good, width: 200, height: 200))])
        try await withTemporaryDirectory { folder in
            let report = try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(
                    SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder), demo: demo)
            }
            #expect(report.exitCode == 1)
            #expect(report.counts.written == 5)
            #expect(report.counts.photos == 1)
            let failures = Dictionary(uniqueKeysWithValues: report.failures.map { ($0.id, $0) })
            #expect(failures["not-an-image"]?.kind == "unknown_format")
            #expect(failures["truncated"]?.kind == "corrupt")
            #expect(failures["pixel-bomb"]?.kind == "too_many_pixels")
            #expect(failures["empty"]?.kind == "unknown_format")
            #expect(failures["fine"] == nil)
            let site = SiteFiles(root: folder)
            for (id, _) in broken { try site.expectCompleteUser(id, placeholder: true) }
            try site.expectCompleteUser("fine", placeholder: false)
        }
    }

    /// Should stop with nothing written when the client secret is wrong.
    @Test func stopsOnAuthenticationFailure() async throws {
        let demo = Self.tenantConfiguration(users: 5)
        var wrong = demo
        wrong.clientSecret = "not-the-secret"
        try await withTemporaryDirectory { folder in
            let output = folder.appendingPathComponent("site")
            await #expect(throws: BuildError.self) {
                try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                    try await SiteBuildFixture.build(
                        SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: output), demo: wrong)
                }
            }
            // Nothing is published: at most the build's own hidden state folder exists.
            #expect(filesBelow(output).allSatisfy { $0.hasPrefix(".avatar-site/") })
        }
    }
}

extension SiteBuildTests {
    /// Should draw a look once and link it into every user who has it: same initials, same colour.
    @Test func linksOneDrawingIntoEveryUserWithTheSameLook() async throws {
        let renderer = PlaceholderRenderer(settings: RenderSettings(configuration: SiteConfiguration()), style: PlaceholderConfiguration())
        let first = "twin-0"
        let twin = try #require((1..<500).map { "twin-\($0)" }.first { renderer.background(for: $0) == renderer.background(for: first) })
        let other = try #require((1..<500).map { "other-\($0)" }.first { renderer.background(for: $0) != renderer.background(for: first) })
        let demo = Self.tenantConfiguration(users: 0, extra: [first, twin, other].map {
            DemoUser(id: $0, fields: ["displayName": "Sam Carter"], photo: .none)
        })
        try await withTemporaryDirectory { folder in
            _ = try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(
                    SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder), demo: demo)
            }
            func inode(_ id: String) throws -> Int {
                let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("users/\(id)/photos/648x648.jpg").path)
                return try #require(attributes[.systemFileNumber] as? Int)
            }
            #expect(try inode(first) == inode(twin))
            #expect(try inode(first) != inode(other))
            for id in [first, twin, other] { try SiteFiles(root: folder).expectCompleteUser(id, placeholder: true) }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".avatar-site/staging").path))
        }
    }
}
