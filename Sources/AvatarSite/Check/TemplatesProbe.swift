import Foundation
import AvatarSiteContract

/// The `templates` check: what a build reads and checks from disk before its first request —
/// the folder the host configs name, and the directory page's templates and logo (`page:`) —
/// so that a mistake there fails the check rather than the night.
enum TemplatesProbe {
    static func check(_ loaded: ConfigurationLoader.Loaded) -> CheckOutcome {
        let configuration = loaded.configuration
        let root: String
        do throws(SiteError) {
            root = try HostingArtifacts.root(configuration, layout: loaded.layout)
        } catch {
            return .failed(error.localizedDescription, fix: "Set hosting.root to the folder the web server reads the site from.")
        }
        guard configuration.output.page else {
            return .passed("No directory page (output.page is false); the host configs name \(root).")
        }
        do throws(ConfigurationError) {
            guard try PageDesign.load(configuration.page.resolvingPaths(against: loaded.baseDirectory)) != nil else {
                return .failed("The directory page's templates are not installed beside the binary.",
                               fix: "Install with scripts/install.sh, which copies the resources bundle beside the binary.")
            }
        } catch {
            return .failed(error.localizedDescription,
                           fix: "Correct page.logo, page.templates or page.title as the message says (README.md, The directory page).")
        }
        let logo = configuration.page.logo.map { " and the logo \($0)" } ?? ""
        return .passed("The page's templates\(logo) are read and parse; the host configs name \(root).")
    }
}
