import Foundation
import Hummingbird
import HTTPTypes

extension DemoTenant {
    /// The Outlook REST API v2.0: `Users('{address}')/photo` and `…/photo/$value`, with the
    /// PascalCase entity and the `1X1` answer for a user without a photo.
    func outlook(_ route: [String], path: String) -> DemoAnswer {
        guard route.count >= 2, let address = Self.odataKey(route[0], entitySet: "Users"), route[1] == "photo" else {
            return Self.graphError(.badRequest, "ErrorInvalidUrlQuery", "Unsupported segment in \(path)")
        }
        guard let user = user(key: address) else {
            return Self.graphError(.notFound, "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.")
        }
        if isUnauthorizedPhoto(user.id) {
            count("fault_401")
            return Self.graphError(.unauthorized, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        }
        switch route.count {
        case 2:
            count("outlook_photo")
            guard let (width, height) = user.photo.largestSize else {
                return Self.json(.ok, ["@odata.mediaContentType": "image/gif", "@odata.mediaEtag": "", "Id": "1X1",
                                       "Width": 1, "Height": 1])
            }
            return Self.json(.ok, ["@odata.mediaContentType": "image/jpeg", "@odata.mediaEtag": etag(user),
                                   "Id": "\(width)X\(height)", "Width": width, "Height": height])
        case 3 where route[2] == "$value":
            count("outlook_photo_value")
            return photoValue(userID: user.id, size: nil)
        default:
            return Self.graphError(.badRequest, "ErrorInvalidUrlQuery", "Unsupported segment in \(path)")
        }
    }

    /// The key of `Users('jane.o''hara@contoso.com')`: an OData string literal, quotes doubled.
    static func odataKey(_ segment: String, entitySet: String) -> String? {
        let prefix = "\(entitySet)('"
        guard segment.lowercased().hasPrefix(prefix.lowercased()), segment.hasSuffix("')"),
              segment.count >= prefix.count + 2 else { return nil }
        let literal = segment.dropFirst(prefix.count).dropLast(2)
        return literal.replacingOccurrences(of: "''", with: "'")
    }
}
