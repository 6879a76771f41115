public import Foundation

/// Why a build stopped before finishing; the site is left as it was.
public enum BuildError: LocalizedError, Sendable {
    /// site.yml or the environment is wrong: exit code 2.
    case configuration(ConfigurationError)
    /// The user list could not be read, or authentication failed: exit code 3.
    case source(SourceError)
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
        case .site(let error):
            "the site could not be written: \(error.localizedDescription)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .configuration: 2
        case .source: 3
        case .site: 1
        }
    }
}
