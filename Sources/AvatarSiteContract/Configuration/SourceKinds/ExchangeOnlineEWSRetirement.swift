import Foundation

/// Exchange Online is closing EWS: since 1 October 2026 it refuses EWS requests from any app
/// the tenant has not allow-listed (`Set-OrganizationConfig -EWSAllowedAppIDs`), and on 1 April
/// 2027 it switches EWS off for good. Exchange Server on premises keeps it. What `check` says
/// of a site.yml with `kind: ews`, decided from its URL and the date alone.
package enum ExchangeOnlineEWSRetirement {
    /// The hosts of Exchange Online's EWS, in Microsoft's worldwide and national clouds.
    static let hosts = ["outlook.office365.com", "outlook.office.com", "outlook.office365.us", "webmail.apps.mil",
                        "partner.outlook.cn", "outlook.live.com"]

    static let allowListingStarts = date(2026, 10, 1)
    static let switchedOff = date(2027, 4, 1)

    static func verdict(for source: SourceConfiguration, on now: Date) -> SourceKindNotice {
        guard isExchangeOnline(source.baseURL) else { return .unaffected }
        let move = "move to kind: graph (README.md, \"Pointing it at your tenant\")"
        if now >= switchedOff {
            return .switchedOff("\(source.baseURL) is Exchange Online, which switched EWS off on 1 April 2027.",
                                fix: "Set source.kind: graph with an app registration for Microsoft Graph; EWS remains only on "
                                    + "Exchange Server on premises.")
        }
        if now >= allowListingStarts {
            return .closing("\(source.baseURL) is Exchange Online, which since 1 October 2026 refuses EWS to apps the tenant "
                            + "has not allow-listed (Set-OrganizationConfig -EWSAllowedAppIDs) and switches EWS off on "
                            + "1 April 2027: \(move) before then.")
        }
        return .closing("\(source.baseURL) is Exchange Online, which from 1 October 2026 refuses EWS to apps the tenant has not "
                        + "allow-listed (Set-OrganizationConfig -EWSAllowedAppIDs) and switches EWS off on 1 April 2027: \(move).")
    }

    package static func isExchangeOnline(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return hosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? .distantFuture
    }
}
