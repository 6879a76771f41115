import Foundation
import NIOHTTP1
public import AvatarSiteContract
import AvatarSiteImaging

/// Exchange Web Services' `GetUserPhoto` (Exchange 2013 and later, on premises or Exchange
/// Online), in its REST form (`GET …/s/GetUserPhoto?email=…&size=…`) or as a SOAP operation.
/// EWS cannot list users, so they come from a users file. Photos carry their own ETag: the site's
/// is sent as `If-None-Match`, and an unchanged photo costs one `304` (or `HasChanged` false)
/// and no bytes.
public struct EWSSource: DirectorySource {
    /// The EWS URL, `https://mail.contoso.com/EWS/Exchange.asmx`.
    public let baseURL: String
    let api: EWSConfiguration.API
    let users: [DirectoryUser]
    let maxPhotoBytes: Int
    let sizeRequested: String
    let http: AuthorizedClient

    public init(configuration: SourceConfiguration, largestSize: PhotoSize, users: [DirectoryUser], http: AuthorizedClient) {
        self.baseURL = configuration.baseURL.trimmingSuffix("/")
        self.api = configuration.ews.api
        self.users = users
        self.maxPhotoBytes = configuration.maxPhotoBytes
        self.sizeRequested = EWSPhotoSize.code(covering: largestSize.side)
        // EWS answers HTTP 500 for an address it does not know: that is the user's answer, not
        // a server to wait for. `fetch` asks once more before believing it.
        var retry = http.retry
        retry.retriedStatuses.remove(500)
        self.http = http.retrying(retry)
    }

    public var batchSize: Int? { nil }

    public func userPages() -> UserPages {
        UserPages(pages: users.chunked(into: 1000))
    }

    public func photos(for requests: [PhotoRequest]) async throws(SourceError) -> [String: Result<PhotoAnswer, SourceError>] {
        let knownETags = Dictionary(requests.map { ($0.user.id, $0.knownETag) }) { first, _ in first }
        return try await eachUser(requests.map(\.user)) { (user) throws(SourceError) in
            try await fetch(user, ifNoneMatch: knownETags[user.id] ?? nil)
        }.mapValues { $0.mapError { $0.during(.photoBytes) } }
    }

    public func photoBytes(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoBytes, SourceError>] {
        try await eachUser(users) { (user) throws(SourceError) in
            switch try await fetch(user, ifNoneMatch: nil) {
            case .photo(let bytes, _): return bytes
            case .noPhoto, .notModified:
                throw SourceError(.permanent, url: baseURL, status: 404, message: "the user has no photo")
            }
        }
    }

    /// EWS has no metadata apart from the photo: it is fetched, and its header gives the size.
    public func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        try await eachUser(users) { (user) throws(SourceError) in
            guard case .photo(let bytes, let etag) = try await fetch(user, ifNoneMatch: nil) else { return nil }
            let header = try? ImageHeader(reading: bytes.data)
            return PhotoMetadata(mediaContentType: header?.format.mediaType ?? bytes.claimedContentType, mediaEtag: etag,
                                 id: header.map { "\($0.width)X\($0.height)" }, width: header?.width, height: header?.height)
        }
    }

    /// One `GetUserPhoto`, asked once more when the answer is a 500 (which EWS also gives for
    /// an unknown address, so it is not retried like other server errors), and again after the
    /// back-off an `ErrorServerBusy` fault asks for, within the retry policy.
    func fetch(_ user: DirectoryUser, ifNoneMatch etag: String?) async throws(SourceError) -> PhotoAnswer {
        guard let address = user.address else {
            throw SourceError(.unknownAddress, url: baseURL, message: "the user has no mail address to ask EWS for")
        }
        var askedAgain = false
        var attempt = 0
        var waited = Duration.zero
        while true {
            let response = try await send(address, ifNoneMatch: etag)
            do {
                return try interpret(response, askedWithETag: etag != nil)
            } catch let error where error.kind == .unknownAddress && response.status == 500 && !askedAgain {
                askedAgain = true
            } catch let error where error.code == "ErrorServerBusy" {
                attempt += 1
                let backOff = (try? GetUserPhotoResult.parse(response.body, maxPictureBytes: 0))?.backOffMilliseconds
                guard let delay = http.retry.delay(beforeRetry: attempt, waited: waited,
                                                   retryAfter: backOff.map { String(($0 + 999) / 1000) }, random: .random(in: 0..<1))
                else { throw error }
                http.client.statistics.recordRetry()
                waited += delay
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw SourceError.cancelled(url: requestURL)
                }
            }
        }
    }

    private var requestURL: String {
        api == .rest ? "\(baseURL)/s/GetUserPhoto" : baseURL
    }

    private func send(_ address: String, ifNoneMatch etag: String?) async throws(SourceError) -> APIResponse {
        var headers = [(String, String)]()
        if let etag { headers.append(("If-None-Match", etag)) }
        switch api {
        case .rest:
            let url = "\(requestURL)?email=\(FormEncoding.escape(address))&size=\(sizeRequested)"
            return try await http.get(.conditionalPhoto, url: url, headers: headers, maxBytes: maxPhotoBytes)
        case .soap:
            headers += [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", GetUserPhotoEnvelope.soapAction)]
            // The photo travels as base64 inside the envelope: a third larger, plus the envelope.
            return try await http.send(.conditionalPhoto, method: .POST, url: requestURL, headers: headers,
                                       body: GetUserPhotoEnvelope.request(email: address, sizeRequested: sizeRequested),
                                       maxBytes: maxPhotoBytes / 3 * 4 + 64 * 1024)
        }
    }

    func interpret(_ response: APIResponse, askedWithETag: Bool) throws(SourceError) -> PhotoAnswer {
        let url = requestURL
        switch response.status {
        case 200 where api == .rest:
            return .photo(PhotoBytes(data: response.body, claimedContentType: response.header("Content-Type")),
                          etag: response.header("ETag"))
        case 200:
            return try interpretSOAP(response, askedWithETag: askedWithETag)
        case 304 where askedWithETag:
            return .notModified
        case 404:
            return .noPhoto
        case 500:
            // A SOAP fault that names another error is that error; an empty 500, or one that
            // names the address, is the documented answer for an address EWS does not know.
            if api == .soap, let result = try? GetUserPhotoResult.parse(response.body, maxPictureBytes: 0),
               let code = result.responseCode, !Self.unknownAddressCodes.contains(code) {
                throw error(code: code, message: result.messageText ?? result.faultString, status: 500)
            }
            throw SourceError(.unknownAddress, url: url, status: 500, message: "EWS does not know the address")
        case 401, 403:
            throw SourceError(.forbidden, url: url, status: response.status, message: "EWS refused the request")
        case 429, 502, 503, 504:
            throw SourceError(.transient, url: url, status: response.status, message: "EWS answered HTTP \(response.status)")
        default:
            throw SourceError(.permanent, url: url, status: response.status, message: "EWS answered HTTP \(response.status)")
        }
    }

    private func interpretSOAP(_ response: APIResponse, askedWithETag: Bool) throws(SourceError) -> PhotoAnswer {
        let result: GetUserPhotoResult
        do {
            result = try GetUserPhotoResult.parse(response.body, maxPictureBytes: maxPhotoBytes)
        } catch .tooLarge {
            throw SourceError(.bodyTooLarge, url: requestURL, status: 200, message: "the photo is larger than \(maxPhotoBytes) bytes")
        } catch {
            throw SourceError(.invalidResponse, url: requestURL, status: 200, message: "the GetUserPhoto answer is not SOAP: \(error)")
        }
        if result.responseClass == "Error" || (result.responseCode.map { $0 != "NoError" } ?? false) {
            let code = result.responseCode ?? "Error"
            if Self.unknownAddressCodes.contains(code) {
                throw SourceError(.unknownAddress, url: requestURL, status: 200, code: code, message: "EWS does not know the address")
            }
            if Self.noPhotoCodes.contains(code) { return .noPhoto }
            throw error(code: code, message: result.messageText, status: 200)
        }
        if result.hasChanged == false {
            guard askedWithETag else {
                throw SourceError(.invalidResponse, url: requestURL, status: 200,
                                  message: "EWS answered HasChanged false to a request without an ETag")
            }
            return .notModified
        }
        guard let picture = result.pictureData, !picture.isEmpty else { return .noPhoto }
        return .photo(PhotoBytes(data: picture, claimedContentType: nil), etag: response.header("ETag"))
    }

    private func error(code: String, message: String?, status: Int) -> SourceError {
        let kind: SourceError.Kind = Self.transientCodes.contains(code) ? .transient : .permanent
        return SourceError(kind, url: requestURL, status: status, code: code, message: message ?? "EWS answered \(code)")
    }

    static let unknownAddressCodes: Set<String> = ["ErrorNonExistentMailbox", "ErrorInvalidSmtpAddress", "ErrorMailboxNotFound"]
    static let noPhotoCodes: Set<String> = ["ErrorItemNotFound"]
    static let transientCodes: Set<String> = ["ErrorServerBusy", "ErrorTimeoutExpired", "ErrorInternalServerTransientError"]
}
