public import Foundation

/// The templates the build renders, shipped as resources of this target so that `templates/`
/// at the top of the repository is where they are edited: the directory page (`page/`) and
/// the host configurations (`hosting/`).
public enum SiteTemplates {
    /// Every file of a template folder (`hosting`, `page`) by name, or nil when the resource
    /// bundle was not installed beside the binary.
    public static func folder(_ name: String) -> [String: Data]? {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent(name),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return nil }
        var files = [String: Data]()
        for name in names where !name.hasPrefix(".") {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { return nil }
            files[name] = data
        }
        return files
    }
}
