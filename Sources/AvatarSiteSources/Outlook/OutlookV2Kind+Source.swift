public import AvatarSiteContract

extension OutlookV2Kind: SourceKind {
    public static func makeSource(_ configuration: SiteConfiguration, http: AuthorizedClient, users: [DirectoryUser]?) -> any DirectorySource {
        OutlookSource(configuration: configuration.source, users: users ?? [], http: http)
    }

    public static func makeWriter(_ configuration: SiteConfiguration, http: AuthorizedClient,
                                  users: () throws(ConfigurationError) -> [DirectoryUser]?) throws(ConfigurationError) -> any PhotoWritingSource {
        OutlookSource(configuration: configuration.source, users: try users() ?? [], http: http)
    }

    public static func permissionFix(_ source: SourceConfiguration) -> String {
        "Add Office 365 Exchange Online's User.Read.All application permission \(grantConsent)."
    }
}
