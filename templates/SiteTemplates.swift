public import Foundation

/// The templates the build renders, shipped as resources of this target so that `templates/`
/// at the top of the repository is where they are edited: the directory page (`page/`) and
/// the host configurations (`hosting/`).
public enum SiteTemplates {
    /// The resource bundle SwiftPM writes beside the executable.
    static let bundleName = "avatar-site_SiteTemplates"

    /// Every file of a template folder (`hosting`, `page`) by name, or nil when the resource
    /// bundle was not installed beside the binary.
    public static func folder(_ name: String) -> [String: Data]? {
        guard let folder = resourceBundle?.resourceURL?.appendingPathComponent(name),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return nil }
        var files = [String: Data]()
        for name in names where !name.hasPrefix(".") {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { return nil }
            files[name] = data
        }
        return files
    }

    /// The bundle beside the executable, its symbolic links resolved, so that an installed
    /// binary reached through `PREFIX/bin/avatar-site` finds the bundle beside its real file.
    /// SwiftPM's `Bundle.module` is not used: it looks beside the unresolved path and then in
    /// the build folder of the machine that compiled it, so a binary copied without its bundle
    /// would still work there, and trap anywhere else.
    static var resourceBundle: Bundle? {
        let executables = [Bundle.main.executableURL, URL(fileURLWithPath: "/proc/self/exe")].compactMap { $0 }
        for executable in executables {
            let folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for suffix in ["resources", "bundle"] {
                let candidate = folder.appendingPathComponent("\(bundleName).\(suffix)")
                if FileManager.default.fileExists(atPath: candidate.path), let bundle = Bundle(url: candidate) {
                    return bundle
                }
            }
        }
        return nil
    }
}
