import Foundation

/// The photo documents as `SiteJSON.encode` writes them (sorted keys, slashes as they are),
/// written directly: a build writes eleven of them a user, and `JSONEncoder` boxing each value
/// on its way cost more than the SHA-256 of every image. `PhotoDocumentJSONTests` hold the two
/// to the same bytes.
extension PhotoDocument {
    var json: String {
        var text = "{"
        if let placeholder { text += "\"@avatarSite.placeholder\":\(placeholder)," }
        if let provisional { text += "\"@avatarSite.provisional\":\(provisional)," }
        if let upscaledFrom { text += "\"@avatarSite.upscaledFrom\":\(Self.quoted(upscaledFrom))," }
        text += "\"@odata.mediaContentType\":\(Self.quoted(mediaContentType)),\"@odata.mediaEtag\":\(Self.quoted(mediaEtag)),"
        text += "\"height\":\(height),\"id\":\(Self.quoted(id)),\"width\":\(width)}"
        return text
    }

    /// `value` as a JSON string, escaped as `JSONEncoder` escapes it.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(character.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(character)
            }
        }
        return text + "\""
    }

    var jsonData: Data { Data(json.utf8) }
}

extension PhotoCollectionDocument {
    /// `{"value":[…]}` from each size's document as written.
    static func jsonData(_ documents: [String]) -> Data {
        Data("{\"value\":[\(documents.joined(separator: ","))]}".utf8)
    }
}
