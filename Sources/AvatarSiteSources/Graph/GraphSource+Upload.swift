public import Foundation
import NIOHTTP1
import AvatarSiteContract

/// Setting photos through Graph: names resolved to users 20 at a time in `$batch` (an id or a
/// user principal name directly; a mail address with `$filter=mail eq '…'`, since
/// `/users/{key}` takes only an id or a UPN), then `PUT` (or `PATCH`) of `…/photo/$value`.
extension GraphSource: PhotoWritingSource {
    static let userSelect = "$select=id,userPrincipalName,mail,displayName"

    public func resolveUsers(_ names: [String]) async throws(SourceError) -> [String: Result<DirectoryUser?, SourceError>] {
        var results = [String: Result<DirectoryUser?, SourceError>]()
        var byMail = [String]()
        let direct = try await batchGET(names.map { "/users/\(FormEncoding.escape($0))?\(Self.userSelect)" }, kind: .resolveUser,
                                        maxBytes: Self.maxBatchBytes)
        for (name, answer) in zip(names, direct) {
            switch answer {
            case .success(let answer) where answer.status == 200:
                results[name] = Result { () throws(SourceError) in try Self.user(fromRecord: answer.body, url: "\(baseURL)/users") }
            case .success(let answer) where answer.status == 404 || answer.status == 400:
                // Not an id or a UPN; an address may still be someone's mail.
                if name.contains("@") { byMail.append(name) } else { results[name] = .success(nil) }
            case .success(let answer):
                results[name] = .failure(SourceError.odata(status: answer.status, body: answer.body, url: "\(baseURL)/users"))
            case .failure(let error):
                results[name] = .failure(error)
            }
        }
        let filtered = try await batchGET(byMail.map { mail in
            let literal = mail.replacingOccurrences(of: "'", with: "''")
            return "/users?$filter=\(FormEncoding.escape("mail eq '\(literal)'"))&\(Self.userSelect)"
        }, kind: .resolveUser, maxBytes: Self.maxBatchBytes)
        for (mail, answer) in zip(byMail, filtered) {
            results[mail] = answer.flatMap { answer in
                Result { () throws(SourceError) in try Self.onlyUser(in: answer, url: "\(baseURL)/users", mail: mail) }
            }
        }
        for case .failure(let error) in results.values where error.isFatal { throw error }
        return results
    }

    private static func user(fromRecord data: Data, url: String) throws(SourceError) -> DirectoryUser {
        guard let record = try? JSONDecoder().decode([String: JSONValue].self, from: data),
              case .string(let id) = record["id"], !id.isEmpty
        else { throw SourceError(.invalidResponse, url: url, status: 200, message: "the user is not a Graph user") }
        return DirectoryUser(id: id, record: record)
    }

    private static func onlyUser(in answer: BatchAnswer, url: String, mail: String) throws(SourceError) -> DirectoryUser? {
        guard answer.status == 200 else { throw SourceError.odata(status: answer.status, body: answer.body, url: url) }
        struct Page: Decodable { var value: [[String: JSONValue]] }
        guard let page = try? JSONDecoder().decode(Page.self, from: answer.body) else {
            throw SourceError(.invalidResponse, url: url, status: 200, message: "the user list is not an OData collection")
        }
        guard page.value.count <= 1 else {
            throw SourceError(.permanent, url: url, status: 200, code: "AmbiguousMail", message: "\(page.value.count) users have the mail \(mail)")
        }
        guard let record = page.value.first, case .string(let id) = record["id"], !id.isEmpty else { return nil }
        return DirectoryUser(id: id, record: record)
    }

    public func setPhoto(_ data: Data, contentType: String, of user: DirectoryUser) async throws(SourceError) {
        let url = photoURL(user, value: true)
        let method: HTTPMethod = uploadMethod == .patch ? .PATCH : .PUT
        let response = try await http.send(.photoUpload, method: method, url: url, headers: [("Content-Type", contentType)],
                                           body: data, maxBytes: Self.maxMetadataBytes)
        guard (200..<300).contains(response.status) else { throw SourceError.odata(response, url: url) }
    }
}
