public import Foundation

/// Why a build stopped before finishing; the site is left as it was.
public enum BuildError: LocalizedError, Sendable {
    /// site.yml or the environment is wrong: exit code 2.
    case configuration(ConfigurationError)
    /// The user list could not be read, or authentication failed: exit code 3.
    case source(SourceError)
    /// More users would be removed than `output.max_deletions` allows: exit code 3.
    case tooManyDeletions(removing: Int, allowed: Int, published: Int)
    /// The site could not be written: exit code 1.
    case site(SiteError)

    public var errorDescription: String? {
        switch self {
        case .configuration(let error):
            error.localizedDescription
        case .source(let error) where error.kind == .authentication:
            "authentication failed, nothing was changed: \(error.localizedDescription)"
        case .source(let error):
            "the directory could not be read, nothing was changed: \(error.localizedDescription)"
        case .tooManyDeletions(let removing, let allowed, let published):
            """
            the build would remove \(removing) of \(published) published users, more than output.max_deletions \
            allows (\(allowed)); nothing was changed. If so many really left, run again with --allow-deletions.
            """
        case .site(let error):
            "the site could not be written: \(error.localizedDescription)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .configuration: 2
        case .source, .tooManyDeletions: 3
        case .site: 1
        }
    }
}
