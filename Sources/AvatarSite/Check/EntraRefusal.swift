import Foundation
import AvatarSiteContract
import AvatarSiteSources

/// What Entra ID's refusal to issue a token means, and what to change: its `AADSTS…` codes
/// translated. The codes are Microsoft's (https://login.microsoftonline.com/error?code=N);
/// anything else is shown as Entra ID said it, with the page that explains it.
enum EntraRefusal {
    /// The number of the first `AADSTS…` code in Entra ID's error description, if any.
    static func code(in message: String) -> Int? {
        guard let range = message.range(of: #"AADSTS\d+"#, options: .regularExpression) else { return nil }
        return Int(message[range].dropFirst("AADSTS".count))
    }

    /// Why the token request for `auth` failed, with the fix.
    static func diagnose(_ error: SourceError, auth: AuthConfiguration, baseURL: String) -> CheckOutcome {
        let secret = auth.clientSecretEnv
        let tokenURL = auth.effectiveTokenURL
        if let code = code(in: error.message) {
            let said = "Entra ID answered AADSTS\(code)"
            switch code {
            case 90002, 900023:
                return .failed("\(said): it knows no tenant '\(auth.tenant)' at \(auth.authority).",
                               fix: "Set source.auth.tenant to your Directory (tenant) ID or its .onmicrosoft.com domain, and for "
                                   + "a national cloud set source.auth.authority to its sign-in host (e.g. https://login.microsoftonline.us).")
            case 7000215:
                return .failed("\(said): the client secret in \(secret) is not one of the app's secrets.",
                               fix: "Put the secret's Value (not its Secret ID) from App registrations → Certificates & secrets "
                                   + "into \(secret).")
            case 7000222:
                return .failed("\(said): the client secret in \(secret) has expired.",
                               fix: "Create a new client secret under App registrations → Certificates & secrets and put its "
                                   + "Value into \(secret).")
            case 700016:
                return .failed("\(said): tenant '\(auth.tenant)' has no app with client id '\(auth.clientID)'.",
                               fix: "Set source.auth.client_id to the Application (client) ID of an app registered in this "
                                   + "tenant (App registrations → Overview).")
            case 65001, 650051, 650052:
                return .failed("\(said): the app's permissions were never granted admin consent in this tenant.",
                               fix: "In App registrations → API permissions, click Grant admin consent (an administrator must).")
            case 500011:
                return .failed("\(said): the scope \(auth.effectiveScope(baseURL: baseURL)) is not a service of this cloud.",
                               fix: "Use a base_url and source.auth.authority of the same cloud (a national cloud has both of "
                                   + "its own), and leave source.auth.scope unset unless you must.")
            case 70011, 1002012:
                return .failed("\(said): the scope \(auth.effectiveScope(baseURL: baseURL)) is not valid.",
                               fix: "Leave source.auth.scope unset, or set it to the service's root followed by /.default.")
            case 900144, 7000216:
                return .failed("\(said): the token request lacks a client id or secret.",
                               fix: "Set source.auth.client_id to the app's Application (client) ID and \(secret) to its secret.")
            default:
                return .failed("\(said): \(error.message)",
                               fix: "See https://login.microsoftonline.com/error?code=\(code) for what Entra ID means by it.")
            }
        }
        switch error.kind {
        case .connection:
            return .failed("no answer from the token endpoint \(tokenURL): \(error.message).",
                           fix: "Check source.auth.authority (or token_url), the machine's DNS and any proxy or firewall in between.")
        case .transient:
            return .failed("the token endpoint \(tokenURL) is busy or unwell (HTTP \(error.status ?? 0)).",
                           fix: "Run the check again in a few minutes.")
        default:
            let status = error.status.map { "HTTP \($0)" } ?? "an answer"
            return .failed("the token endpoint \(tokenURL) refused with \(status): \(error.message)",
                           fix: "Check that source.auth.authority (or token_url) is Entra ID's, such as https://login.microsoftonline.com.")
        }
    }
}
