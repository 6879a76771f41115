import AvatarSiteContract
import AvatarSiteSources

/// What a refused listing or photo request means for the app registration or account, per
/// photo API, and what to change.
enum PermissionAdvice {
    /// Why listing users failed.
    static func listing(_ error: SourceError, source: SourceConfiguration) -> CheckOutcome {
        let said = answer(error)
        switch (error.kind, error.status) {
        case (_, 403?):
            return .failed("Graph refused to list users (\(said)): the app lacks the User.Read.All application permission, "
                           + "or its admin consent.",
                           fix: "Add Microsoft Graph's User.Read.All application permission \(GraphKind.grantConsent).")
        case (_, 401?), (.authentication, _):
            return .failed("Graph refused the token (\(said)).",
                           fix: "Use a base_url of the same cloud as source.auth.authority, and leave source.auth.scope unset "
                               + "unless it must differ.")
        case (_, 400?):
            return .failed("Graph refused the listing's query (\(said)).",
                           fix: "Check source.users.filter and source.users.fields against Graph's user properties.")
        case (_, 404?):
            return .failed("\(source.baseURL) has no /users (\(said)).",
                           fix: "Set source.base_url to Graph's root with its version, such as https://graph.microsoft.com/v1.0.")
        default:
            return unreachable(error, source: source)
        }
    }

    /// Why `user`'s photo could not be read.
    static func photo(_ error: SourceError, source: SourceConfiguration, user: String) -> CheckOutcome {
        let said = answer(error)
        switch error.kind {
        case .noMailbox:
            return .passed("\(user) has no mailbox in Exchange Online (\(said)); such users get a placeholder.")
        case .unknownAddress:
            return .failed("the service does not know \(user)'s address (\(said)).",
                           fix: "Check the mail column of source.users_file's first row, or put a known user first.")
        case .bodyTooLarge:
            return .failed("\(user)'s photo is larger than source.max_photo_bytes (\(source.maxPhotoBytes) bytes).",
                           fix: "Raise source.max_photo_bytes.")
        case .forbidden, .authentication:
            return .failed("the photo of \(user) was refused (\(said)).", fix: permissionFix(source))
        case .permanent where error.status == 401 || error.status == 403:
            return .failed("the photo of \(user) was refused (\(said)).", fix: permissionFix(source))
        case .connection, .transient:
            return unreachable(error, source: source)
        default:
            return .failed("the photo of \(user) could not be read (\(said)).",
                           fix: "Check source.base_url, which must be the photo API's root for source.kind \(source.kind.rawValue).")
        }
    }

    /// What the app or account needs to read photos: the kind says.
    static func permissionFix(_ source: SourceConfiguration) -> String {
        source.kind.implementation.permissionFix(source)
    }

    /// A service that could not be reached or did not answer well.
    static func unreachable(_ error: SourceError, source: SourceConfiguration) -> CheckOutcome {
        switch error.kind {
        case .connection:
            .failed("no answer from \(source.baseURL): \(error.message).",
                    fix: "Check source.base_url, the machine's DNS and any proxy or firewall in between.")
        case .transient:
            .failed("the service is busy or unwell (\(answer(error))).", fix: "Run the check again in a few minutes.")
        default:
            .failed("\(source.baseURL) did not answer as the \(source.kind.rawValue) API does (\(answer(error))).",
                    fix: "Set source.base_url to the API's root for source.kind \(source.kind.rawValue) (see README.md).")
        }
    }

    /// `HTTP 403 Authorization_RequestDenied: Insufficient privileges…`.
    static func answer(_ error: SourceError) -> String {
        let head = [error.status.map { "HTTP \($0)" }, error.code].compactMap { $0 }.joined(separator: " ")
        return head.isEmpty ? error.message : "\(head): \(error.message)"
    }
}
