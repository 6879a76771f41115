/// `kind: graph` — Microsoft Graph, which lists users and serves their photos, in `$batch`.
public enum GraphKind: SourceKindSettings {
    public static let defaultBaseURL: String? = "https://graph.microsoft.com/v1.0"
    public static let baseURLComment = "Graph's root with its version: /beta, or a national cloud such as https://graph.microsoft.us/v1.0."
    public static let listsUsers = true
    public static let omittedKeyPaths: Set<String> = ["source.ews", "source.demo"]
}
