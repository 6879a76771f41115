import Foundation

/// The photo documents as `SiteJSON.encode` writes them (sorted keys, slashes as they are),
/// written directly: a build writes eleven of them a user, and `JSONEncoder` boxing each value
/// on its way cost more than the SHA-256 of every image. `PhotoDocumentJSONTests` hold the two
/// to the same bytes.
extension PhotoDocument {
    var jsonData: Data {
        var json = JSONText(capacity: 192, escapingLineSeparators: false)
        write(to: &json)
        return Data(json.bytes)
    }

    func write(to json: inout JSONText) {
        json.raw("{")
        if let placeholder {
            json.raw("\"@avatarSite.placeholder\":")
            json.raw(placeholder ? "true," : "false,")
        }
        if let provisional {
            json.raw("\"@avatarSite.provisional\":")
            json.raw(provisional ? "true," : "false,")
        }
        if let upscaledFrom {
            json.raw("\"@avatarSite.upscaledFrom\":")
            json.string(upscaledFrom)
            json.raw(",")
        }
        json.raw("\"@odata.mediaContentType\":")
        json.string(mediaContentType)
        json.raw(",\"@odata.mediaEtag\":")
        json.string(mediaEtag)
        json.raw(",\"height\":")
        json.integer(height)
        json.raw(",\"id\":")
        json.string(id)
        json.raw(",\"width\":")
        json.integer(width)
        json.raw("}")
    }
}

extension PhotoCollectionDocument {
    /// `{"value":[…]}`, as `SiteJSON.encode` writes it.
    var jsonData: Data {
        var json = JSONText(capacity: 192 * value.count + 16, escapingLineSeparators: false)
        json.raw("{\"value\":")
        json.array(value) { json, document in document.write(to: &json) }
        json.raw("}")
        return Data(json.bytes)
    }
}
