public import AvatarSiteContract

extension EWSKind: SourceKind {
    public static func makeSource(_ configuration: SiteConfiguration, http: AuthorizedClient, users: [DirectoryUser]?) -> any DirectorySource {
        EWSSource(configuration: configuration.source, largestSize: configuration.largestSize, users: users ?? [], http: http)
    }

    public static func makeWriter(_ configuration: SiteConfiguration, http: AuthorizedClient,
                                  users: () throws(ConfigurationError) -> [DirectoryUser]?) throws(ConfigurationError) -> any PhotoWritingSource {
        throw ConfigurationError(keyPath: "source.kind", line: nil,
                                 reason: "EWS cannot set photos; upload through graph (or outlook-v2)", file: "site.yml")
    }

    public static func permissionFix(_ source: SourceConfiguration) -> String {
        let auth = source.auth
        switch auth.kind {
        case .basic:
            return "Check the account in \(auth.usernameEnv) and \(auth.passwordEnv), and give it access to "
                + "users' photos (ApplicationImpersonation, or an account that may read every mailbox)."
        case .clientCredentials where ExchangeOnlineEWSRetirement.isExchangeOnline(source.baseURL):
            return "Add Office 365 Exchange Online's full_access_as_app application permission \(grantConsent), and allow-list the "
                + "app's id (Set-OrganizationConfig -EWSAllowedAppIDs), which Exchange Online requires since 1 October 2026; "
                + "it switches EWS off on 1 April 2027, so move to kind: graph."
        case .clientCredentials:
            return "Add Office 365 Exchange Online's full_access_as_app application permission \(grantConsent)."
        case .bearer:
            return "Renew the token in \(auth.tokenEnv): it must be for \(source.baseURL)'s host and allow reading mailboxes."
        }
    }
}
