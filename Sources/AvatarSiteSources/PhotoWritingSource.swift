public import Foundation

/// A directory whose users' photos can be set: Graph (`PUT`/`PATCH …/photo/$value`) and the
/// Outlook REST API v2.0 (`PATCH`). EWS has no such operation.
public protocol PhotoWritingSource: DirectorySource {
    /// The users that `names` stand for — an id, a user principal name or a mail address each —
    /// keyed by name: the user, nil when the directory has no such user, or the failure.
    /// Throws only what must stop the run.
    func resolveUsers(_ names: [String]) async throws(SourceError) -> [String: Result<DirectoryUser?, SourceError>]

    /// Replaces the user's photo with `data`, a JPEG or PNG of `contentType`.
    func setPhoto(_ data: Data, contentType: String, of user: DirectoryUser) async throws(SourceError)
}
