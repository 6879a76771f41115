public import Foundation
public import AvatarSiteContract

/// The JSON of `photo.json` and `photos/{W}x{H}.json`: Graph's `profilePhoto`, plus OData
/// instance annotations that say what Graph itself would not (a placeholder, an upscaled size).
public struct PhotoDocument: Codable, Sendable, Equatable {
    public var mediaContentType = "image/jpeg"
    public var mediaEtag: String
    public var id: String
    public var width: Int
    public var height: Int
    /// Set on every size of a user who has no photo: the image is drawn initials.
    public var placeholder: Bool?
    /// Set on a placeholder drawn because the user's photo could not be fetched and there was no
    /// earlier one to keep: the next build tries again.
    public var provisional: Bool?
    /// Set on a size larger than the photo the directory holds: made by upscaling this size.
    public var upscaledFrom: String?

    enum CodingKeys: String, CodingKey {
        case mediaContentType = "@odata.mediaContentType"
        case mediaEtag = "@odata.mediaEtag"
        case id, width, height
        case placeholder = "@avatarSite.placeholder"
        case provisional = "@avatarSite.provisional"
        case upscaledFrom = "@avatarSite.upscaledFrom"
    }

    /// `etag`: the image's, when it is known already.
    public init(image: Data, etag: String? = nil, size: PhotoSize, placeholder: Bool, provisional: Bool = false,
                sourceSize: PhotoSize) {
        mediaEtag = etag ?? MediaETag.of(image)
        id = size.profilePhotoID
        width = size.width
        height = size.height
        self.placeholder = placeholder ? true : nil
        self.provisional = provisional ? true : nil
        upscaledFrom = !placeholder && size > sourceSize ? sourceSize.profilePhotoID : nil
    }
}

/// `photos.json`: Graph's collection of a user's photo sizes.
struct PhotoCollectionDocument: Codable, Sendable {
    var value: [PhotoDocument]
}

enum SiteJSON {
    /// Sorted keys so the same content is always the same bytes (and so not re-uploaded).
    static func encode<T: Encodable>(_ value: T) throws(SiteError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw SiteError(path: "", reason: "cannot encode JSON: \(error)")
        }
    }
}
