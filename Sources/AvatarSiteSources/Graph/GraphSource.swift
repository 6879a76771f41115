import Foundation
public import AvatarSiteContract

/// Microsoft Graph (v1.0 or beta, any national cloud): users from `/users`, photos from
/// `/users/{id}/photo` and `/users/{id}/photo/$value`, metadata 20 users at a time in `$batch`.
public struct GraphSource: DirectorySource {
    public let baseURL: String
    let query: UserQueryConfiguration
    let maxPhotoBytes: Int
    let uploadMethod: UploadConfiguration.Method
    let http: AuthorizedClient

    /// The largest listing page accepted: 999 users with every field asked for stay well under it.
    static let maxPageBytes = 32 * 1024 * 1024
    static let maxMetadataBytes = 64 * 1024

    public init(configuration: SourceConfiguration, http: AuthorizedClient) {
        self.baseURL = configuration.baseURL.trimmingSuffix("/")
        self.query = configuration.users
        self.maxPhotoBytes = configuration.maxPhotoBytes
        self.uploadMethod = configuration.upload.method
        self.http = http
    }

    public var batchSize: Int? { Self.batchLimit }

    public func userPages() -> UserPages {
        let first = "\(baseURL)/users?\(Self.listingParameters(query).joined(separator: "&"))"
        return UserPages(first: first, limit: query.limit) { (cursor) throws(SourceError) in try await page(at: cursor ?? first) }
    }

    /// The listing's query. `manager` is not a property but a relationship: it cannot be
    /// selected, only expanded, and only its id is asked for (Graph then returns at most 100
    /// users a page, whatever `$top` says; the next links carry on).
    static func listingParameters(_ query: UserQueryConfiguration) -> [String] {
        let selected = query.fields.filter { $0 != "manager" }
        var parameters = [
            "$select=\(selected.map(FormEncoding.escape).joined(separator: ","))",
            "$top=\(query.pageSize)",
        ]
        if query.fields.contains("manager") { parameters.append("$expand=\(FormEncoding.escape("manager($select=id)"))") }
        if let filter = query.filter { parameters.append("$filter=\(FormEncoding.escape(filter))") }
        return parameters
    }

    func photoURL(_ user: DirectoryUser, value: Bool = false) -> String {
        "\(baseURL)/users/\(FormEncoding.escape(user.id))/photo" + (value ? "/$value" : "")
    }

    /// A metadata answer, alone or inside a `$batch`: the largest photo, nil for "no photo", or the error.
    static func interpretMetadata(status: Int, body: Data, url: String) throws(SourceError) -> PhotoMetadata? {
        switch status {
        case 200:
            guard let metadata = try? JSONDecoder().decode(PhotoMetadata.self, from: body) else {
                throw SourceError(.invalidResponse, url: url, status: 200, message: "the photo metadata is not a profilePhoto")
            }
            return metadata.isNoPhotoMarker ? nil : metadata
        case 404 where ODataErrorBody.parse(body)?.code == "ImageNotFound":
            return nil
        default:
            throw SourceError.odata(status: status, body: body, url: url)
        }
    }

    /// Photo bytes 20 users at a time in `$batch`, as Microsoft Graph Toolkit fetches them: each
    /// sub-response judged on its own (a throttled one asked again, a damaged one refused by the
    /// image checks and downloaded again); a batch whose answer is refused or too large for its
    /// limit falls back to one download a user.
    public func photoBytes(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoBytes, SourceError>] {
        let paths = users.map { "/users/\(FormEncoding.escape($0.id))/photo/$value" }
        var answers = try await batchGET(paths, kind: .photoBytes, maxBytes: maxBatchPhotoBytes, aloneMaxBytes: maxPhotoBytes)
        // A photo whose base64 did not survive the batch is downloaded again, alone.
        for index in answers.indices {
            if case .success(let answer) = answers[index], answer.status == 200, answer.body.isEmpty {
                answers[index] = try await alone(paths[index], kind: .photoBytes, maxBytes: maxPhotoBytes)
            }
        }
        var results = [String: Result<PhotoBytes, SourceError>]()
        for (user, answer) in zip(users, answers) {
            let url = photoURL(user, value: true)
            results[user.id] = answer.flatMap { answer -> Result<PhotoBytes, SourceError> in
                guard answer.status == 200 else {
                    return .failure(SourceError.odata(status: answer.status, body: answer.body, url: url).during(.photoBytes))
                }
                guard answer.body.count <= maxPhotoBytes else {
                    return .failure(SourceError(.bodyTooLarge, url: url, status: 200, message: "the photo is larger than \(maxPhotoBytes) bytes",
                                                request: .photoBytes))
                }
                return .success(PhotoBytes(data: answer.body, claimedContentType: answer.header("Content-Type")))
            }
        }
        return results
    }

    /// The limit of a batch of photos: twenty photos of the largest size accepted, base64 and
    /// all, within 48 MiB (past it, one download a user).
    var maxBatchPhotoBytes: Int {
        min(Self.batchLimit * (maxPhotoBytes / 3 * 4 + 4096), 48 * 1024 * 1024)
    }

    /// Reads one listing page, user by user, and the link to the next.
    func page(at url: String) async throws(SourceError) -> UserPage {
        let response = try await http.get(.listUsers, url: url, maxBytes: Self.maxPageBytes)
        guard response.status == 200 else { throw SourceError.odata(response, url: url) }
        let page = try GraphListingPage.decode(response.body, url: url)
        // The next link carries our token with it: it must stay on the service we were pointed at.
        if let next = page.nextLink, !next.hasPrefix(baseURL + "/") {
            throw SourceError(.invalidResponse, url: url, status: 200,
                              message: "@odata.nextLink points away from \(baseURL)")
        }
        return UserPage(users: page.users, invalid: page.invalid, next: page.nextLink)
    }
}
