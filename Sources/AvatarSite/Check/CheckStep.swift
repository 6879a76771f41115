import Foundation
import AvatarSiteContract
import AvatarSiteSources

/// One check of `avatar-site check`, as data: its name, the checks it needs to have passed
/// first, and the work. Steps run in order and may leave what they learned (credentials, the
/// source, a user to try) in the state for later ones.
struct CheckStep: Sendable {
    typealias Run = @Sendable (inout CheckState) async -> CheckOutcome

    let name: String
    /// Steps that must pass before this one can say anything.
    let needs: [String]
    let run: Run

    init(_ name: String, needs: [String] = [], run: @escaping Run) {
        self.name = name
        self.needs = needs
        self.run = run
    }
}

/// What the steps learn as they go.
struct CheckState: Sendable {
    let loaded: ConfigurationLoader.Loaded
    let environment: [String: String]
    let client: APIClient
    let retry: RetryPolicy
    var credentials: Credentials?
    var source: (any DirectorySource)?
    /// The user whose photo is tried: the listing's first, or the users file's first.
    var user: DirectoryUser?

    var configuration: SiteConfiguration { loaded.configuration }
}
