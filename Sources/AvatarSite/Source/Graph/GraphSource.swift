import Foundation
public import Logging

/// Microsoft Graph (v1.0 or beta, any national cloud): users from `/users`, photos from
/// `/users/{id}/photo` and `/users/{id}/photo/$value`.
public struct GraphSource: DirectorySource {
    public let baseURL: String
    let query: UserQueryConfiguration
    let retry: RetryPolicy
    let maxPhotoBytes: Int
    let transport: GraphTransport

    /// The largest listing page accepted: 999 users with every field asked for stay well under it.
    static let maxPageBytes = 32 * 1024 * 1024
    static let maxMetadataBytes = 64 * 1024

    public init(configuration: SourceConfiguration, tokens: ClientCredentialsTokenProvider, client: APIClient, logger: Logger) {
        self.baseURL = configuration.baseURL.trimmingSuffix("/")
        self.query = configuration.users
        self.maxPhotoBytes = configuration.maxPhotoBytes
        self.retry = RetryPolicy(retries: configuration.retries)
        self.transport = GraphTransport(client: client, tokens: tokens, retry: retry, logger: logger)
    }

    public func userPages() -> GraphUserPages {
        var parameters = [
            "$select=\(query.fields.map(FormEncoding.escape).joined(separator: ","))",
            "$top=\(query.pageSize)",
        ]
        if let filter = query.filter { parameters.append("$filter=\(FormEncoding.escape(filter))") }
        return GraphUserPages(firstURL: "\(baseURL)/users?\(parameters.joined(separator: "&"))", source: self)
    }

    public func photoMetadata(userID: String) async throws(SourceError) -> PhotoMetadata? {
        let url = "\(baseURL)/users/\(FormEncoding.escape(userID))/photo"
        let response = try await transport.get(.photoMetadata, url: url, maxBytes: Self.maxMetadataBytes)
        return try Self.interpretMetadata(status: response.status, body: response.body, url: url)
    }

    /// A metadata answer, alone or inside a `$batch`: the largest photo, nil for "no photo", or the error.
    static func interpretMetadata(status: Int, body: Data, url: String) throws(SourceError) -> PhotoMetadata? {
        switch status {
        case 200:
            guard let metadata = try? JSONDecoder().decode(PhotoMetadata.self, from: body) else {
                throw SourceError(.invalidResponse, url: url, status: 200, message: "the photo metadata is not a profilePhoto")
            }
            return metadata.isNoPhotoMarker ? nil : metadata
        case 404 where GraphErrorBody.parse(body)?.code == "ImageNotFound":
            return nil
        default:
            throw GraphTransport.error(status: status, body: body, url: url)
        }
    }

    public func photoBytes(userID: String) async throws(SourceError) -> PhotoBytes {
        let url = "\(baseURL)/users/\(FormEncoding.escape(userID))/photo/$value"
        let response = try await transport.get(.photoBytes, url: url, maxBytes: maxPhotoBytes)
        guard response.status == 200 else { throw GraphTransport.error(for: response, url: url) }
        return PhotoBytes(data: response.body, claimedContentType: response.header("Content-Type"))
    }

    /// Reads one listing page and the link to the next.
    func page(at url: String) async throws(SourceError) -> (users: [DirectoryUser], next: String?) {
        let response = try await transport.get(.listUsers, url: url, maxBytes: Self.maxPageBytes)
        guard response.status == 200 else { throw GraphTransport.error(for: response, url: url) }
        let page: UserPage
        do {
            page = try JSONDecoder().decode(UserPage.self, from: response.body)
        } catch {
            throw SourceError(.invalidResponse, url: url, status: 200, message: "the user list is not an OData collection")
        }
        // The next link carries our token with it: it must stay on the service we were pointed at.
        if let next = page.nextLink, !next.hasPrefix(baseURL + "/") {
            throw SourceError(.invalidResponse, url: url, status: 200,
                              message: "@odata.nextLink points away from \(baseURL)")
        }
        let users = page.value.map { fields in
            let id: String = if case .string(let text) = fields["id"] { text } else { "" }
            return DirectoryUser(id: id, fields: fields)
        }
        return (users, page.nextLink)
    }

    private struct UserPage: Decodable {
        var value: [[String: JSONValue]]
        var nextLink: String?

        enum CodingKeys: String, CodingKey {
            case value
            case nextLink = "@odata.nextLink"
        }
    }
}

/// The pages of `/users`. While the caller works through one page the next is already being
/// fetched, so a large directory's listing overlaps with its photos instead of stalling them.
public struct GraphUserPages: AsyncSequence, Sendable {
    public typealias Element = [DirectoryUser]
    public typealias Failure = SourceError

    let firstURL: String
    let source: GraphSource

    public struct AsyncIterator: AsyncIteratorProtocol {
        typealias Page = (users: [DirectoryUser], next: String?)

        let source: GraphSource
        var firstURL: String?
        var prefetch: Task<Result<Page, SourceError>, Never>?
        /// Links already followed: a server that links back to an earlier page would page forever.
        var visited = Set<String>()

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(SourceError) -> [DirectoryUser]? {
            let page: Page
            if let firstURL {
                self.firstURL = nil
                page = try await source.page(at: firstURL)
            } else if let prefetch {
                self.prefetch = nil
                page = try await prefetch.value.get()
            } else {
                return nil
            }
            if let next = page.next {
                guard visited.insert(next).inserted else {
                    throw SourceError(.invalidResponse, url: next, status: 200, message: "@odata.nextLink leads back to a page already read")
                }
                prefetch = Task { [source] in
                    do throws(SourceError) { return .success(try await source.page(at: next)) } catch { return .failure(error) }
                }
            }
            return page.users
        }

        public mutating func next() async throws(SourceError) -> [DirectoryUser]? {
            try await next(isolation: nil)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source, firstURL: firstURL)
    }
}
