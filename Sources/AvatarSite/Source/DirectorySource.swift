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

    /// The metadata of several users' photos at once, each with its own result. Throws only
    /// what must stop the build (authentication).
    func photoMetadata(userIDs: [String]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>]
}

extension DirectorySource {
    /// For sources without batching: one request per user.
    public func photoMetadata(userIDs: [String]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        try await photoMetadataOneByOne(userIDs)
    }

    /// One metadata request per user, each with its own result.
    func photoMetadataOneByOne(_ userIDs: [String]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        var results = [String: Result<PhotoMetadata?, SourceError>]()
        for id in userIDs {
            do {
                results[id] = .success(try await photoMetadata(userID: id))
            } catch {
                if error.kind == .authentication { throw error }
                results[id] = .failure(error)
            }
        }
        return results
    }
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
