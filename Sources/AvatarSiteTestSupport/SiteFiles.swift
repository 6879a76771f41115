public import AvatarSite
public import Foundation
public import Testing
public import AvatarSiteContract

/// Reads a built site the way a consumer would, and checks it against the output contract.
public struct SiteFiles: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public static func usersDocument(in root: URL) throws -> UsersDocument {
        try JSONDecoder().decode(UsersDocument.self, from: Data(contentsOf: root.appendingPathComponent("users.json")))
    }

    public func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    public func photoDocument(_ id: String) throws -> PhotoDocument {
        try JSONDecoder().decode(PhotoDocument.self, from: data("users/\(id)/photo.json"))
    }

    public func sizeDocument(_ id: String, _ size: PhotoSize) throws -> PhotoDocument {
        try JSONDecoder().decode(PhotoDocument.self, from: data("users/\(id)/photos/\(size).json"))
    }

    /// Every file of the layout exists for the user, every JPEG decodes at its size, and every
    /// metadata file matches the bytes it describes.
    public func expectCompleteUser(_ id: String, placeholder: Bool, sizes: [PhotoSize] = PhotoSize.graphSizes,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let collection = try JSONDecoder().decode([String: [PhotoDocument]].self, from: data("users/\(id)/photos.json"))
        #expect(collection["value"]?.map(\.id) == sizes.map(\.profilePhotoID), sourceLocation: sourceLocation)
        for size in sizes {
            let image = try data("users/\(id)/photos/\(size).jpg")
            let decoded = TestImages.decodedSize(image)
            #expect(decoded?.width == size.width && decoded?.height == size.height, "\(id) \(size)", sourceLocation: sourceLocation)
            let document = try sizeDocument(id, size)
            #expect(document.mediaEtag == MediaETag.of(image), "\(id) \(size)", sourceLocation: sourceLocation)
            #expect(document.width == size.width && document.id == size.profilePhotoID, sourceLocation: sourceLocation)
            #expect((document.placeholder ?? false) == placeholder, "\(id) \(size)", sourceLocation: sourceLocation)
        }
        let photo = try data("users/\(id)/photo.jpg")
        let largest = try photoDocument(id)
        let decoded = TestImages.decodedSize(photo)
        #expect(decoded?.width == largest.width && decoded?.height == largest.height, "\(id)", sourceLocation: sourceLocation)
        #expect(largest.mediaEtag == MediaETag.of(photo), sourceLocation: sourceLocation)
        #expect((largest.placeholder ?? false) == placeholder, "\(id)", sourceLocation: sourceLocation)
    }
}
