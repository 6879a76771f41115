@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteSources

/// Servers that stall, loop or lie, over loopback: each night must finish with every ordinary
/// user right and the affected one handled as the README says.
@Suite struct HostileServerTests {
    static let victim = DemoUser(id: "victim", fields: ["displayName": "Vic Tim", "mail": "victim@contoso.example",
                                                        "userPrincipalName": "victim@contoso.example"],
                                 photo: .portrait(variant: 4, width: 360, height: 360))

    static func demo(users: Int = 8, pageSize: Int = 999, faults: DemoFaults) -> DemoTenantConfiguration {
        var configuration = DemoTenantConfiguration(userCount: users, seed: 13)
        configuration.extraUsers = [victim]
        configuration.maxPageSize = pageSize
        configuration.faults = faults
        return configuration
    }

    /// Builds `demo` through `dialect` into `folder/site`; returns the report (or the error) and the tenant.
    static func build(_ demo: DemoTenantConfiguration, dialect: SiteBuildFixture.Dialect = .graph, into folder: URL,
                      configure: (inout SiteConfiguration) -> Void = { _ in }) async throws -> (Result<BuildReport, BuildError>, DemoTenant) {
        let tenant = DemoTenant(configuration: demo)
        let result = try await MachineLoad.timed { try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
            let usersFile = folder.appendingPathComponent("users.csv")
            try tenant.usersFileCSV().write(to: usersFile, atomically: true, encoding: .utf8)
            var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder.appendingPathComponent("site"),
                                                               dialect: dialect, usersFile: dialect == .graph ? nil : usersFile)
            configure(&configuration)
            do throws(BuildError) {
                return Result<BuildReport, BuildError>.success(try await SiteBuildFixture.build(configuration, demo: demo))
            } catch {
                return .failure(error)
            }
        } }
        return (result, tenant)
    }

    static let stallTimeoutSeconds = 10.0

    /// Should give up on a photo body that stalls after its headers, or trickles a byte a second,
    /// within the timeout times the attempts, fail only that user, and leave the lock free.
    @Test(arguments: SiteBuildFixture.Dialect.allCases.map { ($0, false) } + [(.graph, true), (.ewsSOAP, true)])
    func aStalledPhotoCostsItsTimeoutAndNoMore(dialect: SiteBuildFixture.Dialect, trickle: Bool) async throws {
        var faults = DemoFaults()
        faults.stalledPhotoUsers = [Self.victim.id]
        faults.trickle = trickle
        try await withTemporaryDirectory { folder in
            let started = ContinuousClock.now
            let (result, tenant) = try await Self.build(Self.demo(faults: faults), dialect: dialect, into: folder) { configuration in
                // Long enough that an ordinary photo, answered at once but read late on two cores
                // busy with the rest of the suite, never reaches it: only the stalled one does.
                configuration.source.timeoutSeconds = Self.stallTimeoutSeconds
                configuration.source.retries = 1
            }
            let elapsed = ContinuousClock.now - started
            let report = try result.get()
            #expect(report.exitCode == 1)
            #expect(report.failures.map(\.id) == [Self.victim.id], "\(report.failures.map { "\($0.id): \($0.kind) \($0.message)" })")
            #expect(report.failures.first?.kind == "connection", "\(report.failures)")
            // One try and one retry, each cut at the timeout, the retry after a backoff under
            // 0.5 s. Graph tries the batch holding the photo twice, then the photo alone twice.
            // With the whole suite running at once on two cores, the tests' own synchronous work
            // keeps the timers waiting for seconds, so the upper bound only tells a cut request
            // (seconds) from one left to stall (an hour).
            let arrivals = tenant.stalledRequestArrivals
            #expect(arrivals.count == (dialect == .graph ? 4 : 2), "\(arrivals.count) requests for the stalled photo")
            for (earlier, later) in zip(arrivals, arrivals.dropFirst()) {
                let gap = later - earlier
                // The server sees an attempt arrive late when the client is kept waiting, so the
                // gap can fall short of the timeout; it never falls to a fraction of it.
                #expect(gap >= .seconds(Self.stallTimeoutSeconds * 0.7), "\(gap)")
                if gap >= .seconds(45) { Issue.record("\(gap) between the attempts: the deadline did not cut the stalled body") }
            }
            // The night ends (generously bounded: the whole suite shares two cores).
            #expect(elapsed < .seconds(300), "\(elapsed)")
            // The next night is not locked out.
            let (next, _) = try await Self.build(Self.demo(faults: DemoFaults()), dialect: dialect, into: folder)
            #expect(try next.get().exitCode == 0)
        }
    }

    /// Should stop a listing that never ends, with exit code 3 and nothing changed.
    @Test(arguments: [DemoFaults.ListingLoop.distinctLinks, .cycle, .emptyPages])
    func aListingThatNeverEndsChangesNothing(loop: DemoFaults.ListingLoop) async throws {
        try await withTemporaryDirectory { folder in
            _ = try await Self.build(Self.demo(users: 30, pageSize: 10, faults: DemoFaults()), into: folder)
            let before = try SiteSnapshot(folder.appendingPathComponent("site"), includingIndex: true)
            var faults = DemoFaults()
            faults.listingLoop = loop
            let (result, tenant) = try await Self.build(Self.demo(users: 30, pageSize: 10, faults: faults), into: folder) {
                $0.source.users.limit = 200
            }
            guard case .failure(let error) = result else {
                Issue.record("a listing that never ends was published")
                return
            }
            #expect(error.exitCode == 3, "\(error)")
            #expect((tenant.requestsByRoute["users"] ?? 0) < 40)
            try SiteSnapshot(folder.appendingPathComponent("site"), includingIndex: true).expectSameUsers(as: before)
        }
    }

    /// Should make one user's 401 that user's failure (`forbidden`), keep their last good files,
    /// and build everyone else.
    @Test(arguments: SiteBuildFixture.Dialect.allCases)
    func oneUsers401IsThatUsersFailure(dialect: SiteBuildFixture.Dialect) async throws {
        try await withTemporaryDirectory { folder in
            _ = try await Self.build(Self.demo(faults: DemoFaults()), dialect: dialect, into: folder)
            let victimFolder = folder.appendingPathComponent("site/users/\(Self.victim.id)")
            let before = try Data(contentsOf: victimFolder.appendingPathComponent("photo.jpg"))
            var faults = DemoFaults()
            faults.unauthorizedPhotoUsers = [Self.victim.id]
            let (result, tenant) = try await Self.build(Self.demo(faults: faults), dialect: dialect, into: folder) {
                $0.output.maxDeletions = .count(0)
            }
            let report = try result.get()
            #expect(report.exitCode == 1)
            #expect(report.failures.map(\.kind) == ["forbidden"], "\(report.failures)")
            #expect(report.counts.kept == 1 && report.counts.written == tenant.enabledUsers.count)
            #expect(try Data(contentsOf: victimFolder.appendingPathComponent("photo.jpg")) == before)
        }
    }

    /// Should make an EWS answer in UTF-16 with a document type that user's `invalid_response`,
    /// never read, and build everyone else.
    @Test func aUTF16AnswerIsThatUsersFailure() async throws {
        var faults = DemoFaults()
        faults.utf16AnswerUsers = [Self.victim.id]
        try await withTemporaryDirectory { folder in
            let (result, tenant) = try await Self.build(Self.demo(faults: faults), dialect: .ewsSOAP, into: folder)
            let report = try result.get()
            #expect(tenant.requestsByRoute["fault_utf16"] ?? 0 > 0)
            #expect(report.exitCode == 1)
            #expect(report.failures.map(\.id) == [Self.victim.id], "\(report.failures.map { "\($0.id): \($0.kind) \($0.message)" })")
            #expect(report.failures.first?.kind == "invalid_response", "\(report.failures)")
            #expect(report.counts.failed == 1 && report.counts.listed == tenant.enabledUsers.count)
        }
    }

    /// Should stop the night when the service refuses most requests even with fresh credentials.
    @Test func refusalOfMostRequestsStopsTheNight() async throws {
        var faults = DemoFaults()
        faults.unauthorizedPhotoUsers = ["*"]
        try await withTemporaryDirectory { folder in
            let (result, _) = try await Self.build(Self.demo(users: 30, faults: faults), dialect: .ewsREST, into: folder)
            guard case .failure(let error) = result, case .source(let source) = error.reason else {
                Issue.record("the night went on with every request refused")
                return
            }
            #expect(error.exitCode == 3 && source.kind == .authentication)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/users.json").path))
        }
    }

    /// Should build every user whose record can be read, dropping the fields that cannot, and
    /// skip only a record with no readable id.
    @Test func oneBadRecordCostsOnlyItself() async throws {
        let tenant = DemoTenant(configuration: Self.demo(users: 6, faults: DemoFaults()))
        let users = tenant.enabledUsers
        var faults = DemoFaults()
        faults.rawListingFields = [
            users[0].id: ["displayName": #""\ud800 lone surrogate""#],
            users[1].id: ["jobTitle": "1e400"],
            users[2].id: ["department": #"{"name": "an object where a string belongs"}"#],
            users[3].id: ["officeLocation": String(repeating: "[", count: 600) + String(repeating: "]", count: 600)],
            users[4].id: ["id": "42"],
        ]
        try await withTemporaryDirectory { folder in
            let (result, _) = try await Self.build(Self.demo(users: 6, faults: faults), into: folder)
            let report = try result.get()
            #expect(report.exitCode == 1)
            #expect(report.failures.map(\.kind) == ["invalid_record"], "\(report.failures)")
            #expect(report.counts.written == users.count - 1)
            let index = try SiteFiles.usersDocument(in: folder.appendingPathComponent("site"))
            let entries = Dictionary(uniqueKeysWithValues: index.value.map { ($0.id, $0) })
            #expect(entries[users[0].id]?.fields["displayName"] == nil)
            #expect(entries[users[1].id]?.fields["jobTitle"] == nil)
            #expect(entries[users[2].id]?.fields["department"] == nil)
            #expect(entries[users[3].id]?.fields["officeLocation"] == nil)
            #expect(entries[users[3].id]?.fields["displayName"] == users[3].fields["displayName"].map(JSONValue.string))
            #expect(entries[users[4].id] == nil)
        }
    }

    /// Should take any token lifetime without trapping, and ask for one token in a short build.
    @Test(arguments: ["1e300", "0", "-5", #""soon""#, #""3599""#, "", "null", "1e-300"])
    func anyTokenLifetimeIsSafe(expiresIn: String) async throws {
        var faults = DemoFaults()
        faults.tokenExpiresIn = expiresIn
        try await withTemporaryDirectory { folder in
            let (result, _) = try await Self.build(Self.demo(faults: faults), into: folder)
            let report = try result.get()
            #expect(report.exitCode == 0)
            #expect(report.requests.requestsByKind["token"] == 1)
        }
        #expect(ClientCredentialsTokenProvider.parse(Data(#"{"access_token": "t", "expires_in": 1e300}"#.utf8))?.lifetime == 86_400)
        #expect(ClientCredentialsTokenProvider.parse(Data(#"{"access_token": "t", "expires_in": "soon"}"#.utf8))?.lifetime == 3600)
        #expect(ClientCredentialsTokenProvider.parse(Data(#"{"access_token": "t", "expires_in": 0}"#.utf8))?.lifetime == 3600)
        #expect(ClientCredentialsTokenProvider.parse(Data(#"{"access_token": "t", "expires_in": 5}"#.utf8))?.lifetime == 60)
        #expect(ClientCredentialsTokenProvider.parse(Data(#"{"expires_in": 5}"#.utf8)) == nil)
    }

    /// Should keep a server's error code and message short and free of control characters.
    @Test(arguments: [SiteBuildFixture.Dialect.graph, .outlook])
    func oversizedErrorBodiesAreCapped(dialect: SiteBuildFixture.Dialect) async throws {
        var faults = DemoFaults()
        faults.hugeErrorUsers = [Self.victim.id]
        try await withTemporaryDirectory { folder in
            let (result, _) = try await Self.build(Self.demo(faults: faults), dialect: dialect, into: folder)
            let report = try result.get()
            let failure = try #require(report.failures.first)
            #expect(failure.id == Self.victim.id && failure.status == 400)
            #expect((failure.code?.count ?? 0) <= 81 && failure.message.count <= 401)
            for text in [failure.code ?? "", failure.message] {
                #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x1B }, "\(text.debugDescription.prefix(60))")
            }
            let size = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("site/build-report.json").path)[.size]
            #expect((size as? Int ?? .max) < 64 * 1024)
        }
    }
}
