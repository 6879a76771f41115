public import AvatarSiteContract

/// Everything a source kind brings beyond its settings: the source that lists users and reads
/// photos, the writer `upload` uses, and what an app registration or account needs when the
/// service refuses. A new kind is one type conforming here (its settings live beside the
/// configuration, `SourceKindSettings`), its source in a folder of its own, and one case of
/// `SourceConfiguration.Kind` that registers it.
public protocol SourceKind: SourceKindSettings {
    /// The source for `configuration`, with the users of `source.users_file` when it names one.
    static func makeSource(_ configuration: SiteConfiguration, http: AuthorizedClient, users: [DirectoryUser]?) -> any DirectorySource

    /// The writer `avatar-site upload` sets photos through; a kind that cannot set photos says
    /// so as a `ConfigurationError`. `users` reads `source.users_file`, for kinds that need it.
    static func makeWriter(_ configuration: SiteConfiguration, http: AuthorizedClient,
                           users: () throws(ConfigurationError) -> [DirectoryUser]?) throws(ConfigurationError) -> any PhotoWritingSource

    /// What the app registration or account needs to read photos, when they were refused.
    static func permissionFix(_ source: SourceConfiguration) -> String
}

extension SourceKind {
    /// The step of Entra ID's admin centre that every permission fix ends with.
    public static var grantConsent: String { "in App registrations → API permissions, then click Grant admin consent" }
}

extension SourceConfiguration.Kind {
    /// The registered type of this kind, with its source. Every kind's settings type conforms
    /// to `SourceKind` in this library (a unit test holds each to it).
    public var implementation: any SourceKind.Type {
        guard let kind = settings as? any SourceKind.Type else {
            preconditionFailure("source kind \(rawValue) registers \(settings), which does not conform to SourceKind")
        }
        return kind
    }
}
