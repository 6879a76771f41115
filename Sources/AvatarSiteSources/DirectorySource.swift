import AvatarSiteContract

/// A directory that lists users and serves their photos: Graph, Outlook REST v2.0, EWS, or a
/// test's in-memory directory. Everything the pipeline needs of a source is declared here, so
/// the pipeline never names a dialect.
public protocol DirectorySource: Sendable {
    /// Every user, a page at a time, fetched as the pages are consumed.
    func userPages() -> UserPages

    /// How many users one call of `photos(for:)` covers best (Graph's `$batch` holds 20); nil
    /// when every user costs requests of their own.
    var batchSize: Int? { get }

    /// The metadata of each user's largest photo (nil: no photo), each with its own result.
    /// Throws only what must stop the whole build (authentication).
    func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>]

    /// The bytes of each user's largest photo, each with its own result.
    func photoBytes(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoBytes, SourceError>]

    /// Each user's photo, unless it is still the one with the request's `knownETag`. Results
    /// are keyed by `DirectoryUser.key`. Throws only what must stop the whole build.
    func photos(for requests: [PhotoRequest]) async throws(SourceError) -> [String: Result<PhotoAnswer, SourceError>]
}

extension DirectorySource {
    /// For sources whose photos have metadata apart from their bytes (Graph, Outlook): the
    /// metadata of everyone, compared with the ETag the site holds, then the bytes of those
    /// whose photo changed.
    public func photos(for requests: [PhotoRequest]) async throws(SourceError) -> [String: Result<PhotoAnswer, SourceError>] {
        let metadata = try await photoMetadata(of: requests.map(\.user))
        var answers = [String: Result<PhotoAnswer, SourceError>]()
        var changed = [(user: DirectoryUser, etag: String?)]()
        for request in requests {
            let key = request.user.id
            switch metadata[key] ?? .failure(.missingAnswer(for: key)) {
            case .success(nil):
                answers[key] = .success(.noPhoto)
            case .success(let photo?):
                if MediaETag.matches(photo.mediaEtag, known: request.knownETag) {
                    answers[key] = .success(.notModified)
                } else {
                    changed.append((request.user, photo.mediaEtag.flatMap { $0.isEmpty ? nil : $0 }))
                }
            case .failure(let error):
                answers[key] = .failure(error.during(.photoMetadata))
            }
        }
        guard !changed.isEmpty else { return answers }
        let bytes = try await photoBytes(of: changed.map(\.user))
        for (user, etag) in changed {
            answers[user.id] = (bytes[user.id] ?? .failure(.missingAnswer(for: user.id)))
                .map { .photo($0, etag: etag) }
                .mapError { $0.during(.photoBytes) }
        }
        return answers
    }

    /// One request per user, one after another, each with its own result: for sources that
    /// cannot batch. An authentication failure stops at once; it would fail every user.
    func eachUser<T: Sendable>(_ users: [DirectoryUser],
                               _ body: (DirectoryUser) async throws(SourceError) -> T) async throws(SourceError)
        -> [String: Result<T, SourceError>] {
        var results = [String: Result<T, SourceError>]()
        for user in users {
            do {
                results[user.id] = .success(try await body(user))
            } catch {
                if error.isFatal { throw error }
                results[user.id] = .failure(error)
            }
        }
        return results
    }
}

extension SourceError {
    /// A batch or a source that gave no answer for one of the users it was asked about.
    package static func missingAnswer(for key: String) -> SourceError {
        SourceError(.invalidResponse, url: "", message: "the source gave no answer for user \(key)")
    }

    /// Whether this failure must stop the build rather than one user: refused credentials, or
    /// a build that is being stopped.
    public var isFatal: Bool { kind == .authentication || kind == .cancelled }
}
