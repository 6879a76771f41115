@testable import AvatarSite
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteSources

/// The decisions of `avatar-site check`, apart from any server: what Entra ID's codes and a
/// service's refusals mean, and the verdicts on folders and fonts.
@Suite struct CheckDecisionTests {
    static func tokenError(_ status: Int, _ code: String, _ description: String) -> SourceError {
        SourceError(.authentication, url: "https://login.microsoftonline.com/t/oauth2/v2.0/token", status: status, code: code,
                    message: "the token endpoint refused the client credentials: \(description)")
    }

    static func fix(_ outcome: CheckOutcome) -> String {
        if case .failed(_, let fix) = outcome { return fix }
        return ""
    }

    @Test func readsTheAADSTSCodeFromEntraIDsDescription() {
        #expect(EntraRefusal.code(in: "AADSTS7000222: The provided client secret keys for app 'x' are expired.") == 7000222)
        #expect(EntraRefusal.code(in: "refused: AADSTS90002: Tenant 'x' not found.") == 90002)
        #expect(EntraRefusal.code(in: "invalid_client") == nil)
    }

    /// Should turn each code a first hour meets into the setting or portal step that fixes it.
    @Test(arguments: [
        (90002, "source.auth.tenant"), (900023, "source.auth.tenant"), (7000215, "not its Secret ID"),
        (7000222, "Create a new client secret"), (700016, "source.auth.client_id"), (65001, "Grant admin consent"),
        (650052, "Grant admin consent"), (500011, "same cloud"),
    ])
    func translatesEntraIDCodes(code: Int, fix: String) {
        let error = Self.tokenError(400, "invalid_client", "AADSTS\(code): something Entra ID says.")
        var auth = AuthConfiguration()
        auth.clientID = "abc"
        let outcome = EntraRefusal.diagnose(error, auth: auth, baseURL: "https://graph.microsoft.com/v1.0")
        guard case .failed(let detail, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(detail.contains("AADSTS\(code)"))
        #expect(Self.fix(outcome).contains(fix), "\(Self.fix(outcome))")
    }

    @Test func pointsAtMicrosoftsPageForACodeItDoesNotKnow() {
        let outcome = EntraRefusal.diagnose(Self.tokenError(400, "invalid_request", "AADSTS50059: No tenant-identifying information."),
                                            auth: AuthConfiguration(), baseURL: "https://graph.microsoft.com/v1.0")
        #expect(Self.fix(outcome).contains("https://login.microsoftonline.com/error?code=50059"))
    }

    @Test func anUnreachableTokenEndpointNamesTheAuthority() {
        let error = SourceError(.connection, url: "https://login.microsoftonline.us/t/oauth2/v2.0/token", message: "connect timeout")
        #expect(Self.fix(EntraRefusal.diagnose(error, auth: AuthConfiguration(), baseURL: "https://graph.microsoft.us/v1.0"))
            .contains("source.auth.authority"))
    }

    /// Should name the application permission a 403 asks for: User.Read.All to list, the photo
    /// permission of each API to read photos, and admin consent for both.
    @Test func namesThePermissionA403AsksFor() {
        let denied = SourceError(.forbidden, url: "https://graph.microsoft.com/v1.0/users", status: 403,
                                 code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.")
        var graph = SourceConfiguration()
        graph.kind = .graph
        let listing = Self.fix(PermissionAdvice.listing(denied, source: graph))
        #expect(listing.contains("User.Read.All") && listing.contains("Grant admin consent"))
        let photo = Self.fix(PermissionAdvice.photo(denied, source: graph, user: "Jane"))
        #expect(photo.contains("ProfilePhoto.Read.All") && photo.contains("Grant admin consent"))
        var ews = SourceConfiguration()
        ews.kind = .ews
        ews.auth.kind = .basic
        #expect(Self.fix(PermissionAdvice.photo(denied, source: ews, user: "Jane")).contains(ews.auth.passwordEnv))
        ews.auth.kind = .clientCredentials
        #expect(Self.fix(PermissionAdvice.photo(denied, source: ews, user: "Jane")).contains("full_access_as_app"))
    }

    @Test func aUserWithoutAMailboxIsFine() {
        let error = SourceError(.noMailbox, url: "u", status: 404, code: "MailboxNotEnabledForRESTAPI", message: "no mailbox")
        #expect(PermissionAdvice.photo(error, source: SourceConfiguration(), user: "Jane").hasPassed)
    }

    @Test func findsTheNearestExistingParentOfAFolderToBe() {
        let existing: Set<String> = ["/", "/srv", "/srv/avatars"]
        #expect(OutputFolderProbe.nearestExisting(URL(fileURLWithPath: "/srv/avatars/site/v2"), exists: existing.contains).path
            == "/srv/avatars")
        #expect(OutputFolderProbe.nearestExisting(URL(fileURLWithPath: "/srv/avatars"), exists: existing.contains).path == "/srv/avatars")
        #expect(OutputFolderProbe.nearestExisting(URL(fileURLWithPath: "/mnt/x"), exists: existing.contains).path == "/")
    }

    @Test func wantsRoomForASite() {
        #expect(OutputFolderProbe.room(free: 50 * 1_048_576, in: "/srv") != nil)
        #expect(OutputFolderProbe.room(free: 500 * 1_048_576, in: "/srv") == nil)
    }

    /// Should fail without a Latin font, and only name other scripts without one.
    @Test func judgesFontCoverage() {
        let samples = FontCoverage.samples
        let all = samples.map { ($0, Optional("/usr/share/fonts/DejaVuSans-Bold.ttf")) }
        #expect(FontCoverage.verdict(all).hasPassed)
        let noThai = samples.map { ($0, $0.script == "Thai" ? nil : Optional("/f/DejaVuSans-Bold.ttf")) }
        guard case .passed(let detail) = FontCoverage.verdict(noThai) else {
            Issue.record("a missing Thai font failed the check")
            return
        }
        #expect(detail.contains("Thai"))
        let none = samples.map { ($0, String?.none) }
        #expect(Self.fix(FontCoverage.verdict(none)).contains("fonts-dejavu-core"))
    }

    @Test func printsOneLinePerCheck() {
        #expect(CheckResult(check: "token", ok: true, detail: "issued.").line == "✓ token: issued.")
        #expect(CheckResult(check: "token", ok: false, detail: "expired.", fix: "Renew it.").line == "✗ token: expired. Fix: Renew it.")
        #expect(CheckResult(check: "users", ok: false, detail: "not checked: x").line == "– users: not checked: x")
    }

    @Test func exitsWith2OnlyForAConfigurationThatDoesNotParse() {
        let passed = CheckResult(check: "configuration", ok: true, detail: "")
        let failed = CheckResult(check: "fonts", ok: false, detail: "", fix: "f")
        #expect(SiteCheckup.exitCode([passed]) == 0)
        #expect(SiteCheckup.exitCode([passed, failed]) == 1)
        #expect(SiteCheckup.exitCode([CheckResult(check: "configuration", ok: false, detail: "", fix: "f")]) == 2)
    }

    @Test func writesFixAsNullInJSON() throws {
        let json = try SiteCheckup.json([CheckResult(check: "fonts", ok: true, detail: "ok")])
        let objects = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(objects.first?.keys.sorted() == ["check", "detail", "fix", "ok"])
        #expect(objects.first?["fix"] is NSNull)
    }
}
