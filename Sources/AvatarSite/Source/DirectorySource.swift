public import Foundation

/// A directory that lists users and serves their photos: Graph, Outlook REST v2.0 or EWS.
public protocol DirectorySource: Sendable {
    associatedtype Pages: AsyncSequence<[DirectoryUser], SourceError> & Sendable

    /// Every user, a page at a time, fetched as the pages are consumed.
    func userPages() -> Pages

    /// The metadata of the user's largest photo, or nil when the user has none.
    func photoMetadata(userID: String) async throws(SourceError) -> PhotoMetadata?

    /// The bytes of the user's largest photo.
    func photoBytes(userID: String) async throws(SourceError) -> PhotoBytes
}

/// A photo body as it arrived, with the content type the server claimed (which is not trusted).
public struct PhotoBytes: Sendable {
    public var data: Data
    public var claimedContentType: String?

    public init(data: Data, claimedContentType: String?) {
        self.data = data
        self.claimedContentType = claimedContentType
    }
}
