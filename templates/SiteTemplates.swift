import Foundation

/// The directory page's template, shipped as a resource of this target so that `templates/`
/// at the top of the repository is where it is edited.
public enum SiteTemplates {
    /// The text of `index.html`, or nil when the resource bundle was not installed beside the binary.
    public static var directoryPage: String? {
        guard let url = Bundle.module.url(forResource: "index", withExtension: "html") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
