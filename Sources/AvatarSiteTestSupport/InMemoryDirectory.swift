import AvatarSite
public import Foundation
import Synchronization
public import AvatarSiteSources

/// A directory held in memory, for driving the pipeline without a server: its users, each
/// one's photo (or none, or a failure), and a count of what it was asked. It answers the
/// conditional fetch as a source whose photos carry their ETag would.
public final class InMemoryDirectory: DirectorySource {
    public enum Photo: Sendable {
        case none
        case bytes(Data, etag: String)
        case failure(SourceError)
    }

    public struct Asked: Sendable, Equatable {
        /// Users asked about, with the ETag each request carried.
        public var requests: [PhotoRequest] = []
        /// Photo bodies handed out.
        public var downloads = 0
    }

    private let state: Mutex<(users: [DirectoryUser], photos: [String: Photo], asked: Asked)>
    public let batchSize: Int?

    public init(users: [DirectoryUser], photos: [String: Photo], batchSize: Int? = nil) {
        state = Mutex((users, photos, Asked()))
        self.batchSize = batchSize
    }

    public var asked: Asked { state.withLock { $0.asked } }

    /// Replaces a user's photo, as a night in a real directory might.
    public func setPhoto(_ photo: Photo, for key: String) {
        state.withLock { $0.photos[key] = photo }
    }

    public func userPages() -> UserPages {
        UserPages(pages: [state.withLock { $0.users }])
    }

    public func photos(for requests: [PhotoRequest]) async throws(SourceError) -> [String: Result<PhotoAnswer, SourceError>] {
        state.withLock { state in
            state.asked.requests += requests
            var answers = [String: Result<PhotoAnswer, SourceError>]()
            for request in requests {
                switch state.photos[request.user.id] ?? .none {
                case .none:
                    answers[request.user.id] = .success(.noPhoto)
                case .failure(let error):
                    answers[request.user.id] = .failure(error)
                case .bytes(_, let etag) where etag == request.knownETag:
                    answers[request.user.id] = .success(.notModified)
                case .bytes(let data, let etag):
                    state.asked.downloads += 1
                    answers[request.user.id] = .success(.photo(PhotoBytes(data: data, claimedContentType: nil), etag: etag))
                }
            }
            return answers
        }
    }

    public func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        state.withLock { state in
            Dictionary(uniqueKeysWithValues: users.map { user in
                switch state.photos[user.id] ?? .none {
                case .none: (user.id, .success(nil))
                case .failure(let error): (user.id, .failure(error))
                case .bytes(_, let etag):
                    (user.id, .success(PhotoMetadata(mediaContentType: "image/jpeg", mediaEtag: etag, id: nil, width: nil, height: nil)))
                }
            })
        }
    }

    public func photoBytes(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoBytes, SourceError>] {
        state.withLock { state in
            Dictionary(uniqueKeysWithValues: users.map { user in
                switch state.photos[user.id] ?? .none {
                case .bytes(let data, _): (user.id, .success(PhotoBytes(data: data, claimedContentType: nil)))
                case .failure(let error): (user.id, .failure(error))
                case .none: (user.id, .failure(SourceError(.permanent, url: "", status: 404, message: "no photo")))
                }
            })
        }
    }
}
