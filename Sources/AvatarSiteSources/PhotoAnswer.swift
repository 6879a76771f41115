public import Foundation

/// A photo body as it arrived, with the content type the server claimed (which is not trusted).
public struct PhotoBytes: Sendable, Equatable {
    public var data: Data
    public var claimedContentType: String?

    public init(data: Data, claimedContentType: String?) {
        self.data = data
        self.claimedContentType = claimedContentType
    }
}

/// What a source answers when asked for a user's photo given the ETag the site holds.
public enum PhotoAnswer: Sendable, Equatable {
    /// The photo is still the one with the ETag the site holds: nothing was downloaded.
    case notModified
    /// The photo, with the ETag that identifies this version (nil when the source has none).
    case photo(PhotoBytes, etag: String?)
    /// The user has no photo.
    case noPhoto
}

/// One user's photo request: the user, and the ETag of the photo the site published for them
/// (nil when the site holds nothing it can keep, so the photo must come whatever it is).
public struct PhotoRequest: Sendable, Equatable {
    public var user: DirectoryUser
    public var knownETag: String?

    public init(user: DirectoryUser, knownETag: String?) {
        self.user = user
        self.knownETag = knownETag
    }
}
