public import Foundation

/// What a source kind says about its configuration: the defaults it brings, what it needs
/// site.yml to say, the lines `init` writes for it, and what `check` and the build warn of.
/// A kind is one type: these settings here, and its source, writer and advice (`SourceKind`,
/// in the sources' library) as an extension of the same type. `SourceConfiguration.Kind.settings`
/// registers it.
public protocol SourceKindSettings: Sendable {
    /// The API's root when site.yml gives none; nil when `source.base_url` is required.
    static var defaultBaseURL: String? { get }
    /// The `source.base_url` the template shows: the default, or for a kind without one an
    /// example of what it needs.
    static var exampleBaseURL: String { get }
    /// The template's comment on `source.base_url`.
    static var baseURLComment: String { get }
    /// Whether the API lists users; a kind that cannot needs `source.users_file`.
    static var listsUsers: Bool { get }
    /// Sections of `source` this kind never reads, left out of its template (as key paths).
    static var omittedKeyPaths: Set<String> { get }
    /// Where the configuration points, for `check`'s first line: ` at https://…`.
    static func location(of source: SourceConfiguration) -> String
    /// What site.yml's choice means on `date`, said by `check` and logged by every build.
    static func notice(for source: SourceConfiguration, on date: Date) -> SourceKindNotice
}

extension SourceKindSettings {
    public static var exampleBaseURL: String { defaultBaseURL ?? "" }

    public static func location(of source: SourceConfiguration) -> String { " at \(source.baseURL)" }

    public static func notice(for source: SourceConfiguration, on date: Date) -> SourceKindNotice { .unaffected }
}

/// A kind's word on a configuration that parses.
public enum SourceKindNotice: Sendable, Equatable {
    /// Nothing to say.
    case unaffected
    /// It works, for now: a warning with the dates.
    case closing(String)
    /// The service no longer answers so: the reason and what to change.
    case switchedOff(String, fix: String)
}
