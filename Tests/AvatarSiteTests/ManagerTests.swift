@testable import AvatarSite
import AvatarSiteTestSupport
@testable import DemoTenant
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteSources

/// Reporting lines: asked of Graph with the listing, answered by the demo tenant as Graph
/// answers, and published as the manager's id.
@Suite struct ManagerTests {
    /// Should expand `manager` (a relationship, which `$select` cannot name) only when it is asked for.
    @Test func expandsTheManagerOnlyWhenItIsAField() {
        var query = UserQueryConfiguration()
        query.fields = ["id", "displayName", "manager", "mail"]
        let parameters = GraphSource.listingParameters(query)
        #expect(parameters.contains("$select=id,displayName,mail"))
        #expect(parameters.contains("$expand=manager%28%24select%3Did%29"))
        query.fields = ["id", "displayName"]
        #expect(!GraphSource.listingParameters(query).contains { $0.hasPrefix("$expand") })
    }

    @Test func readsTheExpandedManagersID() throws {
        let page = try GraphListingPage.decode(Data("""
            {"value": [
              {"id": "a", "displayName": "Ann", "manager": {"@odata.type": "#microsoft.graph.user", "id": "b"}},
              {"id": "b", "displayName": "Bo"},
              {"id": "c", "manager": {"@odata.type": "#microsoft.graph.user", "id": "../etc"}},
              {"id": "d", "manager": "e"}
            ]}
            """.utf8), url: "https://graph.example/v1.0/users")
        #expect(page.users.map(\.manager) == ["b", nil, nil, nil])
        #expect(page.users.allSatisfy { $0.fields["manager"] == nil }, "the manager is not a field of its own")
    }

    /// Should give the synthetic users one chief executive, heads of department under them and
    /// teams in their manager's department, the same for the same seed.
    @Test func theDemoDirectoryIsAnOrganisation() {
        let users = DemoDirectory.users(count: 600, seed: 5)
        #expect(users.map(\.manager) == DemoDirectory.users(count: 600, seed: 5).map(\.manager))
        #expect(users.map(\.manager) != DemoDirectory.users(count: 600, seed: 6).map(\.manager))
        let position = Dictionary(uniqueKeysWithValues: users.enumerated().map { ($0.element.id, $0.offset) })
        #expect(users.filter { $0.manager == nil }.map(\.id) == [users[0].id])
        #expect(users[0].fields["jobTitle"] == "Chief Executive Officer" && users[0].accountEnabled)
        var depth = [0]
        for (index, user) in users.enumerated().dropFirst() {
            let manager = position[user.manager ?? ""] ?? Int.max
            #expect(manager < index, "managers come before their reports")
            guard manager < index else { return }
            depth.append(depth[manager] + 1)
            if manager != 0 { #expect(user.fields["department"] == users[manager].fields["department"]) }
        }
        #expect(Set(users.filter { $0.manager == users[0].id }.compactMap { $0.fields["department"] }) == Set(DemoNames.departments))
        #expect((depth.max() ?? 0) >= 4)
        let managers = Set(users.compactMap(\.manager))
        #expect(users.filter { managers.contains($0.id) }.allSatisfy { $0.fields["jobTitle"]?.contains(",") ?? false || $0.id == users[0].id },
                "managers are titled by their level")
    }

    /// Should answer `$expand=manager($select=id)` as Graph does: a `manager` object with its
    /// type and id, no key for the top, at most 100 users a page.
    @Test func theDemoTenantExpandsManagersLikeGraph() async throws {
        let demo = DemoTenantConfiguration(userCount: 250, seed: 3)
        let tenant = DemoTenant(configuration: demo)
        let answer = tenant.get(["users"], query: ["$select": "id,displayName", "$top": "999", "$expand": "manager($select=id)"],
                                apiRoot: "http://127.0.0.1/v1.0", path: "/v1.0/users")
        guard case .json(let status, let body, _) = answer else {
            Issue.record("not a JSON answer: \(answer)")
            return
        }
        #expect("\(status)".hasPrefix("200"))
        let object = body
        let records = try #require(object["value"] as? [[String: Any]])
        #expect(records.count == 100)
        #expect((object["@odata.nextLink"] as? String)?.contains("$skiptoken=100") == true)
        #expect(records[0]["manager"] == nil, "the chief executive has no manager")
        let manager = try #require(records[1]["manager"] as? [String: Any])
        #expect(manager["@odata.type"] as? String == "#microsoft.graph.user")
        #expect(manager["id"] as? String == tenant.users[1].manager)
        #expect(manager.keys.sorted() == ["@odata.type", "id"])
        let refused = tenant.get(["users"], query: ["$expand": "memberOf"], apiRoot: "http://127.0.0.1/v1.0", path: "/v1.0/users")
        if case .json(let status, _, _) = refused { #expect("\(status)".hasPrefix("400")) } else { Issue.record("\(refused)") }
    }

    /// Should publish each user's manager's id when `manager` is a public field, through
    /// every page of the listing.
    @Test func publishesTheManagersIDFromGraph() async throws {
        var demo = DemoTenantConfiguration(userCount: 150, seed: 9)
        demo.photos = false
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
                configuration.output.publicFields.append("manager")
                return try await SiteBuildFixture.build(configuration, demo: demo)
            }
            #expect(report.exitCode == 0, "\(report.failures)")
            let enabled = tenant.enabledUsers
            #expect(tenant.requestsByRoute["users"] == (enabled.count + 99) / 100)
            let index = try SiteFiles.usersDocument(in: folder)
            let published = Dictionary(uniqueKeysWithValues: index.value.map { ($0.id, $0.fields["manager"]) })
            #expect(published.count == enabled.count)
            for user in enabled {
                #expect(published[user.id] == .some(user.manager.map(JSONValue.string)), "\(user.id)")
            }
            #expect(published.values.filter { $0 == nil }.count == 1)
        }
    }
}
