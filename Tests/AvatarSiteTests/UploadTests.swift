import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract
import AvatarSiteImaging
import AvatarSiteSources

/// `avatar-site upload` against the demo tenant over loopback: checks before any write,
/// idempotent re-runs, --fit, --dry-run, throttling, and the next build publishing the photos.
@Suite struct UploadTests {
    /// Users named by their UPN, by a mail that is not their UPN, and by id.
    static let users = [
        DemoUser(id: "una-id", fields: ["displayName": "Una Upn", "userPrincipalName": "una@contoso.example",
                                        "mail": "una@contoso.example"], photo: .none),
        DemoUser(id: "mae-id", fields: ["displayName": "Mae Mail", "userPrincipalName": "mae@contoso.onmicrosoft.example",
                                        "mail": "mae.mail@contoso.example"], photo: .none),
        DemoUser(id: "ida-id", fields: ["displayName": "Ida Id", "userPrincipalName": "ida@contoso.example",
                                        "mail": "ida@contoso.example"], photo: .portrait(variant: 2, width: 240, height: 240)),
        DemoUser(id: "huge-id", fields: ["displayName": "Hugo Huge", "userPrincipalName": "huge@contoso.example",
                                         "mail": "huge@contoso.example"], photo: .none),
        DemoUser(id: "tiny-id", fields: ["displayName": "Tim Tiny", "userPrincipalName": "tiny@contoso.example",
                                         "mail": "tiny@contoso.example"], photo: .none),
        DemoUser(id: "turned-id", fields: ["displayName": "Tess Turned", "userPrincipalName": "turned@contoso.example",
                                           "mail": "turned@contoso.example"], photo: .none),
        DemoUser(id: "ohara-id", fields: ["displayName": "Seán O'Hara", "userPrincipalName": "sohara@contoso.onmicrosoft.example",
                                          "mail": "sean.o'hara@contoso.example"], photo: .none),
    ]

    static func demo(faults: DemoFaults = DemoFaults()) -> DemoTenantConfiguration {
        var configuration = DemoTenantConfiguration(userCount: 0, seed: 3)
        configuration.extraUsers = users
        configuration.faults = faults
        return configuration
    }

    static let validJPEG = TestImages.jpeg(width: 300, height: 300)
    static let validPNG = TestImages.png(width: 200, height: 200, left: (0, 128, 0), right: (0, 128, 0))

    /// The three good photos, and what must be refused or ignored.
    static func writeFolder(_ folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try validJPEG.write(to: folder.appendingPathComponent("una@contoso.example.JPG"))
        try validJPEG.write(to: folder.appendingPathComponent("mae.mail@contoso.example.jpeg"))
        try validPNG.write(to: folder.appendingPathComponent("ida-id.png"))
        try writeInvalid(folder)
        try validJPEG.write(to: folder.appendingPathComponent("nobody@contoso.example.jpg"))
    }

    /// Files every local check refuses, and one that is not a photo at all.
    static func writeInvalid(_ folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("<html><body>Sign in to continue</body></html>".utf8).write(to: folder.appendingPathComponent("sign-in.jpg"))
        try hugeJPEG.write(to: folder.appendingPathComponent("huge@contoso.example.jpg"))
        try TestImages.jpeg(width: 20, height: 20).write(to: folder.appendingPathComponent("tiny@contoso.example.jpg"))
        try Data("photos for the new starters".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    }

    static let hugeJPEG = TestImages.noiseJPEG(width: 1800, height: 1800)

    static func upload(_ folder: URL, to running: RunningDemoTenant, demo: DemoTenantConfiguration,
                       options: PhotoUpload.Options = .init(), configure: (inout SiteConfiguration) -> Void = { _ in })
        async throws -> UploadReport {
        var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder.appendingPathComponent("site"))
        configure(&configuration)
        let loaded = ConfigurationLoader.Loaded(configuration: configuration, baseDirectory: folder)
        return try await PhotoUpload.run(folder: folder.appendingPathComponent("photos"), loaded,
                                         environment: SiteBuildFixture.environment(for: demo), options: options,
                                         logger: SiteBuildFixture.logger)
    }

    /// Should send the three good photos, refuse each bad file with its reason and send nothing
    /// for it, ignore what is not a photo, and exit 1.
    @Test func uploadsTheGoodAndRefusesTheRest() async throws {
        #expect(Self.hugeJPEG.count > 4 * 1024 * 1024)
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try Self.writeFolder(folder.appendingPathComponent("photos"))
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                let config = try writeSiteFile("""
                    source:
                      kind: graph
                      base_url: \(running.baseURL)
                      auth: { tenant: \(demo.tenant), client_id: "\(demo.clientID)", client_secret_env: TEST_SECRET,
                              token_url: "\(running.tokenURL)" }
                    """, in: folder)
                let report = folder.appendingPathComponent("upload.json")
                let result = try await CommandRunner.run(["upload", folder.appendingPathComponent("photos").path, "--config", config.path,
                                                          "--report", report.path], environment: ["TEST_SECRET": demo.clientSecret])
                #expect(result.status == 1, "\(result.standardError)")
                #expect(result.standardOutput.contains("uploaded   3"), "\(result.standardOutput)")
                let decoded = try JSONDecoder().decode(UploadReport.self, from: Data(contentsOf: report))
                #expect(decoded.counts.uploaded == 3 && decoded.counts.refused == 4 && decoded.counts.ignored == 1)
                let reasons = Dictionary(uniqueKeysWithValues: decoded.files.filter { $0.result == .refused }.map { ($0.file, $0.reason) })
                #expect(reasons == ["sign-in.jpg": "not_an_image", "huge@contoso.example.jpg": "too_large",
                                    "tiny@contoso.example.jpg": "too_small", "nobody@contoso.example.jpg": "unknown_user"])
                #expect(tenant.requestsByRoute["photo_put"] == 3)
            }
            #expect(tenant.uploadedPhoto(of: "una-id") == Self.validJPEG)
            #expect(tenant.uploadedPhoto(of: "mae-id") == Self.validJPEG)
            #expect(tenant.uploadedPhoto(of: "ida-id") == Self.validPNG)
            for id in ["huge-id", "tiny-id"] { #expect(tenant.uploadedPhoto(of: id) == nil) }
        }
    }

    /// Should refuse what the local checks refuse without sending a single request.
    @Test func localChecksComeBeforeAnyRequest() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try Self.writeInvalid(folder.appendingPathComponent("photos"))
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await Self.upload(folder, to: running, demo: demo)
            }
            #expect(report.counts.refused == 3 && report.exitCode == 1)
            #expect(tenant.requestsByRoute.isEmpty, "\(tenant.requestsByRoute)")
            #expect(report.requests.totalRequests == 0)
        }
    }

    /// Should send nothing the second time, all again with --force, and nothing with --dry-run.
    @Test func aSecondRunSendsNoWrite() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try Self.writeFolder(folder.appendingPathComponent("photos"))
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                let dry = try await Self.upload(folder, to: running, demo: demo, options: .init(dryRun: true))
                #expect(dry.counts.wouldUpload == 3 && dry.counts.uploaded == 0)
                #expect(tenant.requestsByRoute["photo_put"] == nil && tenant.requestsByRoute["photo_patch"] == nil)

                let first = try await Self.upload(folder, to: running, demo: demo)
                #expect(first.counts.uploaded == 3)
                let second = try await Self.upload(folder, to: running, demo: demo)
                #expect(second.counts.uploaded == 0 && second.counts.unchanged == 3)
                #expect(tenant.requestsByRoute["photo_put"] == 3)

                let forced = try await Self.upload(folder, to: running, demo: demo, options: .init(force: true))
                #expect(forced.counts.uploaded == 3)
                #expect(tenant.requestsByRoute["photo_put"] == 6)
                #expect(FileManager.default.fileExists(atPath: UploadState.file(in: folder.appendingPathComponent("photos")).path))
            }
        }
    }

    /// Should upload again a photo someone changed since: the user's ETag no longer matches.
    @Test func aPhotoChangedSinceIsUploadedAgain() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            try Self.validJPEG.write(to: photos.appendingPathComponent("una@contoso.example.jpg"))
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                _ = try await Self.upload(folder, to: running, demo: demo)
                // Someone sets another photo through another tool.
                let other = folder.appendingPathComponent("other")
                try FileManager.default.createDirectory(at: other.appendingPathComponent("photos"), withIntermediateDirectories: true)
                try Self.validPNG.write(to: other.appendingPathComponent("photos/una-id.png"))
                _ = try await Self.upload(other, to: running, demo: demo)
                #expect(tenant.uploadedPhoto(of: "una-id") == Self.validPNG)
                let again = try await Self.upload(folder, to: running, demo: demo)
                #expect(again.counts.uploaded == 1)
                #expect(tenant.uploadedPhoto(of: "una-id") == Self.validJPEG)
            }
        }
    }

    /// Should make an oversized and a sideways photo fit, upright, and send them.
    @Test func fitMakesPhotosFitUpright() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        // Stored red on the left, blue on the right, with "turn 90° clockwise": upright it is red
        // at the top and blue at the bottom.
        let turned = TestImages.withEXIFOrientation(TestImages.jpeg(width: 400, height: 300), 6)
        #expect(EXIFOrientation.of(turned) == 6)
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            try Self.hugeJPEG.write(to: photos.appendingPathComponent("huge@contoso.example.jpg"))
            try turned.write(to: photos.appendingPathComponent("turned@contoso.example.jpg"))
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await Self.upload(folder, to: running, demo: demo, options: .init(fit: PhotoPreparation.Fit()))
            }
            #expect(report.counts.uploaded == 2 && report.exitCode == 0, "\(report.files)")
            let huge = try #require(tenant.uploadedPhoto(of: "huge-id"))
            #expect(huge.count <= 4 * 1024 * 1024)
            #expect(TestImages.decodedSize(huge).map { [$0.width, $0.height] } == [648, 648])
            let upright = try #require(tenant.uploadedPhoto(of: "turned-id"))
            #expect(TestImages.decodedSize(upright).map { [$0.width, $0.height] } == [300, 300])
            let top = try #require(TestImages.pixel(upright, x: 150, y: 5))
            let bottom = try #require(TestImages.pixel(upright, x: 150, y: 294))
            #expect(top.red > 170 && top.blue < 90, "top \(top)")
            #expect(bottom.blue > 170 && bottom.red < 90, "bottom \(bottom)")
        }
    }

    /// Should retry through throttling and get every file up.
    @Test func throttlingIsRetried() async throws {
        var faults = DemoFaults()
        faults.throttleRate = 0.3
        faults.retryAfterSeconds = 0
        faults.seed = 17
        let demo = Self.demo(faults: faults)
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try Self.writeFolder(folder.appendingPathComponent("photos"))
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await Self.upload(folder, to: running, demo: demo)
            }
            #expect(report.counts.uploaded == 3 && report.counts.failed == 0, "\(report.files)")
            #expect((tenant.requestsByRoute["fault_429"] ?? 0) > 0 && report.requests.retries > 0)
            for id in ["una-id", "mae-id", "ida-id"] { #expect(tenant.uploadedPhoto(of: id) != nil) }
        }
    }

    /// Should publish the uploaded photos in the next build: their ETags changed.
    @Test func theNextBuildPublishesTheUploads() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try Self.writeFolder(folder.appendingPathComponent("photos"))
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                let site = folder.appendingPathComponent("site")
                let configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: site)
                let before = try await SiteBuildFixture.build(configuration, demo: demo)
                #expect(before.counts.photos == 1)
                _ = try await Self.upload(folder, to: running, demo: demo)
                let after = try await SiteBuildFixture.build(configuration, demo: demo)
                #expect(after.counts.downloaded == 3 && after.counts.photos == 3)
                let files = SiteFiles(root: site)
                for id in ["una-id", "mae-id", "ida-id"] { try files.expectCompleteUser(id, placeholder: false) }
                let green = try #require(TestImages.pixel(try files.data("users/ida-id/photos/96x96.jpg"), x: 48, y: 48))
                #expect(green.green > 100 && green.red < 60, "\(green)")
            }
        }
    }

    /// Should find a user by a mail with an apostrophe, quoted in `$filter` as OData wants.
    @Test func resolvesAMailWithAnApostrophe() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            try Self.validJPEG.write(to: photos.appendingPathComponent("sean.o'hara@contoso.example.jpg"))
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await Self.upload(folder, to: running, demo: demo)
            }
            #expect(report.counts.uploaded == 1, "\(report.files)")
            #expect(tenant.uploadedPhoto(of: "ohara-id") == Self.validJPEG)
        }
    }

    /// Should set photos through the Outlook REST API with PATCH.
    @Test func outlookTakesPatch() async throws {
        let demo = Self.demo()
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            try Self.validJPEG.write(to: photos.appendingPathComponent("una@contoso.example.jpg"))
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await Self.upload(folder, to: running, demo: demo) { configuration in
                    configuration.source.kind = .outlookV2
                    configuration.source.baseURL = running.outlookBaseURL
                }
            }
            #expect(report.counts.uploaded == 1, "\(report.files)")
            #expect(tenant.requestsByRoute["photo_patch"] == 1)
            #expect(tenant.uploadedPhoto(of: "una-id") == Self.validJPEG)
        }
    }
}
