/// The metadata of a user's largest photo, in the shape of Graph's `profilePhoto` (what
/// `GET /users/{id}/photo` answers); other dialects convert theirs to it.
public struct PhotoMetadata: Sendable, Equatable, Codable {
    public var mediaContentType: String?
    public var mediaEtag: String?
    public var id: String?
    public var width: Int?
    public var height: Int?

    public init(mediaContentType: String?, mediaEtag: String?, id: String?, width: Int?, height: Int?) {
        self.mediaContentType = mediaContentType
        self.mediaEtag = mediaEtag
        self.id = id
        self.width = width
        self.height = height
    }

    enum CodingKeys: String, CodingKey {
        case mediaContentType = "@odata.mediaContentType"
        case mediaEtag = "@odata.mediaEtag"
        case id, width, height
    }

    /// Graph answers `1X1` (and Outlook v2.0 `Id: "1X1"`) for a user with no photo. Metadata
    /// that merely lacks a size is not that answer: the photo is fetched and its header decides.
    public var isNoPhotoMarker: Bool {
        id?.uppercased() == "1X1" || (width == 1 && height == 1)
    }
}
