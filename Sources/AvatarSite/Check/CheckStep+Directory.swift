import Foundation
import AvatarSiteContract
import AvatarSiteImaging
import AvatarSiteSources

/// One page of users, and one user's photo, through the configured source.
extension CheckStep {
    static let users = CheckStep("users", needs: ["token"]) { state in
        let configuration = state.configuration
        guard let credentials = state.credentials else { return .skipped("no credentials were read") }
        let source: any DirectorySource
        do throws(ConfigurationError) {
            source = try SourceFactory.make(configuration, baseDirectory: state.loaded.baseDirectory, credentials: credentials,
                                            client: state.client, retry: state.retry)
        } catch {
            return .failed("\(error.localizedDescription).", fix: "Correct source.users_file: \(error.reason).")
        }
        state.source = source
        let users: [DirectoryUser]
        do throws(SourceError) {
            var pages = source.userPages().makeAsyncIterator()
            users = try await pages.next()?.users ?? []
        } catch {
            return PermissionAdvice.listing(error, source: configuration.source)
        }
        state.user = users.first
        let first = users.first.map { " (the first: \(describe($0)))" } ?? ""
        guard configuration.source.kind.settings.listsUsers else {
            return .passed("source.users_file lists \(users.count) users\(first); \(configuration.source.kind.rawValue) cannot list them.")
        }
        let restricted = configuration.source.usersFile == nil ? "" : ", of those source.users_file names"
        return .passed("the first page of the listing holds \(users.count) users\(restricted)\(first).")
    }

    static let photo = CheckStep("photo", needs: ["users"]) { state in
        let configuration = state.configuration.source
        guard let source = state.source else { return .skipped("no source was made") }
        guard let user = state.user else {
            return .failed("the first page of users holds nobody whose photo could be tried.",
                           fix: "Check source.users.filter and source.users_file, which choose the users a build covers.")
        }
        let name = describe(user)
        let answer: Result<PhotoAnswer, SourceError>
        do throws(SourceError) {
            answer = try await source.photos(for: [PhotoRequest(user: user, knownETag: nil)])[user.id]
                ?? .failure(.missingAnswer(for: user.id))
        } catch {
            return PermissionAdvice.photo(error, source: configuration, user: name)
        }
        switch answer {
        case .success(.photo(let bytes, _)):
            guard let header = try? ImageHeader(reading: bytes.data) else {
                return .failed("what came as \(name)'s photo is not an image (\(bytes.data.count) bytes, "
                               + "\(bytes.claimedContentType ?? "no content type")).",
                               fix: "Set source.base_url to the photo API's root; a proxy or sign-in page may be answering instead.")
            }
            return .passed("\(name)'s photo was read: a \(header.width)x\(header.height) \(header.format.mediaType), "
                           + "\(bytes.data.count / 1024) KB.")
        case .success(.noPhoto), .success(.notModified):
            return .passed("\(name) has no photo, and the service says so as expected; such users get a placeholder.")
        case .failure(let error):
            return PermissionAdvice.photo(error, source: configuration, user: name)
        }
    }

    /// `Jane Doe <jane@contoso.com>`, or what the user has of it.
    static func describe(_ user: DirectoryUser) -> String {
        switch (user.displayName, user.address) {
        case (let name?, let address?): "\(name) <\(address)>"
        case (let name?, nil): name
        case (nil, let address?): address
        case (nil, nil): user.id
        }
    }
}
