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
