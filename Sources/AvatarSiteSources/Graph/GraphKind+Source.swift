public import AvatarSiteContract

extension GraphKind: SourceKind {
    public static func makeSource(_ configuration: SiteConfiguration, http: AuthorizedClient, users: [DirectoryUser]?) -> any DirectorySource {
        let graph = GraphSource(configuration: configuration.source, http: http)
        guard let users else { return graph }
        return RestrictedSource(graph, to: users)
    }

    public static func makeWriter(_ configuration: SiteConfiguration, http: AuthorizedClient,
                                  users: () throws(ConfigurationError) -> [DirectoryUser]?) throws(ConfigurationError) -> any PhotoWritingSource {
        GraphSource(configuration: configuration.source, http: http)
    }

    public static func permissionFix(_ source: SourceConfiguration) -> String {
        "Add Microsoft Graph's ProfilePhoto.Read.All application permission \(grantConsent)."
    }
}

/// The demo tenant speaks Graph.
extension DemoKind: SourceKind {
    public static func makeSource(_ configuration: SiteConfiguration, http: AuthorizedClient, users: [DirectoryUser]?) -> any DirectorySource {
        GraphKind.makeSource(configuration, http: http, users: users)
    }

    public static func makeWriter(_ configuration: SiteConfiguration, http: AuthorizedClient,
                                  users: () throws(ConfigurationError) -> [DirectoryUser]?) throws(ConfigurationError) -> any PhotoWritingSource {
        try GraphKind.makeWriter(configuration, http: http, users: users)
    }

    public static func permissionFix(_ source: SourceConfiguration) -> String { GraphKind.permissionFix(source) }
}
