@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteContract

/// `check` with `kind: ews`: Exchange Online closes EWS (allow-listed apps only from 1 October
/// 2026, off for good on 1 April 2027); Exchange Server on premises keeps it.
@Suite struct ExchangeOnlineEWSTests {
    static func day(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text + "T12:00:00Z"))
    }

    static func siteFile(kind: String = "ews", baseURL: String, in folder: URL) throws -> URL {
        try writeSiteFile("""
            source:
              kind: \(kind)
              base_url: \(baseURL)
              users_file: users.csv
              auth: { kind: basic, username_env: EWS_USER, password_env: EWS_PASSWORD }
            output: { dir: site }
            """, in: folder)
    }

    @Test func onlyExchangeOnlineHostsAreConcerned() {
        #expect(ExchangeOnlineEWSRetirement.isExchangeOnline("https://outlook.office365.com/EWS/Exchange.asmx"))
        #expect(ExchangeOnlineEWSRetirement.isExchangeOnline("https://OUTLOOK.OFFICE365.US/EWS/Exchange.asmx"))
        #expect(!ExchangeOnlineEWSRetirement.isExchangeOnline("https://mail.contoso.com/EWS/Exchange.asmx"))
        #expect(!ExchangeOnlineEWSRetirement.isExchangeOnline("https://outlook.office365.com.evil.example/EWS/Exchange.asmx"))
    }

    @Test func checkWarnsWithTheDatesAndFailsOnceEWSIsOff() async throws {
        try await withTemporaryDirectory { folder in
            let online = try Self.siteFile(baseURL: "https://outlook.office365.com/EWS/Exchange.asmx", in: folder)
            let closing = SiteCheckup.configuration(file: online, now: try Self.day("2026-12-07")).result
            #expect(closing.ok)
            for words in ["1 October 2026", "1 April 2027", "EWSAllowedAppIDs", "kind: graph"] {
                #expect(closing.detail.contains(words), "\(closing.line)")
            }
            let off = SiteCheckup.configuration(file: online, now: try Self.day("2027-04-01")).result
            #expect(!off.ok)
            #expect(off.line.contains("switched EWS off on 1 April 2027") && off.line.contains("kind: graph"), "\(off.line)")

            let premises = try Self.siteFile(baseURL: "https://mail.contoso.com/EWS/Exchange.asmx", in: folder)
            let kept = SiteCheckup.configuration(file: premises, now: try Self.day("2027-06-01")).result
            #expect(kept.ok && !kept.detail.contains("April"), "\(kept.line)")
        }
    }

    @Test func aRefusedEWSPhotoInExchangeOnlineNamesTheAllowList() throws {
        var source = try ConfigurationLoader.parse("""
            source: { kind: ews, base_url: "https://outlook.office365.com/EWS/Exchange.asmx", users_file: u.csv,
                      auth: { tenant: contoso.onmicrosoft.com, client_id: x } }
            """).source
        #expect(PermissionAdvice.permissionFix(source).contains("EWSAllowedAppIDs"))
        source.explicitBaseURL = "https://mail.contoso.com/EWS/Exchange.asmx"
        #expect(!PermissionAdvice.permissionFix(source).contains("EWSAllowedAppIDs"))
    }
}
