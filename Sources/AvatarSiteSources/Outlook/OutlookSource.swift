import Foundation
public import AvatarSiteContract

/// The Outlook REST API v2.0 (`https://outlook.office.com/api/v2.0`): photo metadata from
/// `Users('{address}')/photo` and bytes from `…/photo/$value`. It cannot list users, so they come
/// from a users file; it has no batching. Microsoft retired this endpoint in its own cloud in
/// March 2024; the dialect is kept small, for the servers that still speak it.
public struct OutlookSource: DirectorySource {
    public let baseURL: String
    let users: [DirectoryUser]
    let maxPhotoBytes: Int
    let http: AuthorizedClient

    static let maxMetadataBytes = 64 * 1024

    public init(configuration: SourceConfiguration, users: [DirectoryUser], http: AuthorizedClient) {
        self.baseURL = configuration.baseURL.trimmingSuffix("/")
        self.users = users
        self.maxPhotoBytes = configuration.maxPhotoBytes
        self.http = http
    }

    public var batchSize: Int? { nil }

    public func userPages() -> UserPages {
        UserPages(pages: users.chunked(into: 1000))
    }

    /// `…/Users('jane.o''hara@contoso.com')/photo`: an OData string literal, its quotes doubled.
    func photoURL(_ user: DirectoryUser, value: Bool = false) -> String {
        let literal = (user.address ?? user.id).replacingOccurrences(of: "'", with: "''")
        return "\(baseURL)/Users('\(FormEncoding.escape(literal))')/photo" + (value ? "/$value" : "")
    }

    public func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        try await eachUser(users) { (user) throws(SourceError) in
            let url = photoURL(user)
            let response = try await http.get(.photoMetadata, url: url, maxBytes: Self.maxMetadataBytes)
            guard response.status == 200 else { throw Self.error(response, url: url) }
            guard let photo = try? JSONDecoder().decode(OutlookPhoto.self, from: response.body) else {
                throw SourceError(.invalidResponse, url: url, status: 200, message: "the photo metadata is not an Outlook photo entity")
            }
            let metadata = photo.metadata
            // "No photo" is a 200 with `Id: "1X1"`, a GIF and an empty ETag.
            return metadata.isNoPhotoMarker ? nil : metadata
        }
    }

    public func photoBytes(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoBytes, SourceError>] {
        try await eachUser(users) { (user) throws(SourceError) in
            let url = photoURL(user, value: true)
            let response = try await http.get(.photoBytes, url: url, maxBytes: maxPhotoBytes)
            guard response.status == 200 else { throw Self.error(response, url: url) }
            return PhotoBytes(data: response.body, claimedContentType: response.header("Content-Type"))
        }
    }

    /// Users come from a users file here, so a mailbox the service does not have is an address
    /// it does not know, as EWS says it, not a user without a mailbox.
    static func error(_ response: APIResponse, url: String) -> SourceError {
        var error = SourceError.odata(response, url: url)
        if error.code == "ErrorNonExistentMailbox" || error.code == "ErrorInvalidSmtpAddress" { error.kind = .unknownAddress }
        return error
    }

    /// The v2.0 photo entity: PascalCase where Graph is camelCase.
    private struct OutlookPhoto: Decodable {
        var contentType: String?
        var etag: String?
        var id: String?
        var width: Int?
        var height: Int?

        enum CodingKeys: String, CodingKey {
            case contentType = "@odata.mediaContentType"
            case etag = "@odata.mediaEtag"
            case id = "Id"
            case width = "Width"
            case height = "Height"
        }

        var metadata: PhotoMetadata {
            PhotoMetadata(mediaContentType: contentType, mediaEtag: etag, id: id, width: width, height: height)
        }
    }
}
