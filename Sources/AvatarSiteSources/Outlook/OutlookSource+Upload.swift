public import Foundation
import NIOHTTP1

/// Setting photos through the Outlook REST API v2.0: `PATCH Users('{address}')/photo/$value`.
/// It addresses users by mail: a name is looked up in the users file (by id or mail) when there
/// is one, and a user the service does not know is found by asking for their photo's metadata.
extension OutlookSource: PhotoWritingSource {
    public func resolveUsers(_ names: [String]) async throws(SourceError) -> [String: Result<DirectoryUser?, SourceError>] {
        var results = [String: Result<DirectoryUser?, SourceError>]()
        for name in names {
            let known = users.first { $0.id == name || $0.mail?.lowercased() == name.lowercased() }
            let user = known ?? (name.contains("@") ? DirectoryUser(id: UserKey.derived(fromAddress: name), mail: name) : nil)
            guard let user else {
                results[name] = .success(nil)
                continue
            }
            switch try await photoMetadata(of: [user])[user.id] {
            case .failure(let error) where error.status == 404 || error.kind == .noMailbox || error.kind == .unknownAddress:
                results[name] = .success(nil)
            case .failure(let error):
                results[name] = .failure(error)
            case .success, nil:
                results[name] = .success(user)
            }
        }
        return results
    }

    public func setPhoto(_ data: Data, contentType: String, of user: DirectoryUser) async throws(SourceError) {
        let url = photoURL(user, value: true)
        let response = try await http.send(.photoUpload, method: .PATCH, url: url, headers: [("Content-Type", contentType)],
                                           body: data, maxBytes: Self.maxMetadataBytes)
        guard (200..<300).contains(response.status) else { throw Self.error(response, url: url) }
    }
}
