import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> DemoAnswer {
        .json(status, object)
    }

    /// Graph's error body: `{"error": {"code", "message", "innerError"}}`.
    static func graphError(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> DemoAnswer {
        json(status, ["error": ["code": code, "message": message,
                                "innerError": ["request-id": UUID().uuidString.lowercased()]]])
    }

    /// What Graph answers an app that lacks the application permission a request needs, or
    /// whose permission was never granted admin consent.
    static func insufficientPrivileges() -> DemoAnswer {
        graphError(.forbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
    }

    /// Entra ID's token endpoint error: OAuth2's `error` and `error_description`, and the
    /// numeric `error_codes`, trace and correlation ids it adds.
    static func entraError(_ status: HTTPResponse.Status, _ error: String, code: Int, _ description: String) -> DemoAnswer {
        let traceID = UUID().uuidString.lowercased()
        let correlationID = UUID().uuidString.lowercased()
        let timestamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: "T", with: " ")
        return json(status, [
            "error": error,
            "error_description": "\(description)\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlationID)\r\nTimestamp: \(timestamp)",
            "error_codes": [code], "timestamp": timestamp, "trace_id": traceID, "correlation_id": correlationID,
            "error_uri": "https://login.microsoftonline.com/error?code=\(code)",
        ])
    }

    /// What Entra ID answers a client secret that is not one of the app's.
    static func wrongSecret(clientID: String) -> DemoAnswer {
        entraError(.unauthorized, "invalid_client", code: 7000215, """
            AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret \
            value, not the client secret ID, for a secret added to app '\(clientID)'.
            """)
    }

    /// What Graph v1.0 answers for a user without a photo.
    static func imageNotFound() -> DemoAnswer {
        graphError(.notFound, "ImageNotFound",
                   "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.")
    }

    static func userNotFound(_ id: String) -> DemoAnswer {
        graphError(.notFound, "Request_ResourceNotFound", "Resource '\(id)' does not exist or one of its queried reference-property objects are not present.")
    }

    /// Decodes `a=b&c=d` (a query string or a form body), `+` as space.
    static func queryParameters(_ text: String?) -> [String: String] {
        var parameters = [String: String]()
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return parameters
    }

    static func escape(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~,$")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
