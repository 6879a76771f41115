public import Foundation

/// `kind: ews` — Exchange Web Services' GetUserPhoto (SOAP or REST), on premises or in
/// Exchange Online until it is switched off. It lists no users, and has no default URL.
public enum EWSKind: SourceKindSettings {
    public static let defaultBaseURL: String? = nil
    /// What a template shows until it is replaced by the real URL.
    public static let exampleBaseURL = "https://mail.contoso.com/EWS/Exchange.asmx"
    public static let baseURLComment = "Required: your EWS URL."
    public static let listsUsers = false
    public static let omittedKeyPaths: Set<String> = ["source.demo", "source.users", "source.upload"]

    public static func notice(for source: SourceConfiguration, on date: Date) -> SourceKindNotice {
        ExchangeOnlineEWSRetirement.verdict(for: source, on: date)
    }
}
