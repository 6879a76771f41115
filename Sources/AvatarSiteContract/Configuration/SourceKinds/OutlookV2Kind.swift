/// `kind: outlook-v2` — the Outlook REST API v2.0, which serves photos but lists no users.
public enum OutlookV2Kind: SourceKindSettings {
    public static let defaultBaseURL: String? = "https://outlook.office.com/api/v2.0"
    public static let baseURLComment = "The Outlook REST API's root."
    public static let listsUsers = false
    public static let omittedKeyPaths: Set<String> = ["source.ews", "source.demo", "source.users"]
}
