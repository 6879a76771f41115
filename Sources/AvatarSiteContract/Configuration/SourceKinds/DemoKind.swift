/// `kind: demo` — the embedded demo tenant: Graph's dialect, served on 127.0.0.1 by the tool itself.
public enum DemoKind: SourceKindSettings {
    public static let defaultBaseURL: String? = GraphKind.defaultBaseURL
    public static let baseURLComment = GraphKind.baseURLComment
    public static let listsUsers = true
    public static let omittedKeyPaths: Set<String> = ["source.base_url", "source.users_file", "source.auth", "source.ews", "source.upload"]

    public static func location(of source: SourceConfiguration) -> String { ", the embedded demo tenant" }
}
