public import Foundation
import Mustache
import SiteTemplates
public import AvatarSiteContract
public import AvatarSiteImaging

/// `output/hosting/`, written by every build: the host configs rendered from
/// `templates/hosting/`, the alias and Gravatar lookups they read, and the silhouette unknown
/// Gravatar hashes answer. The folder is the build's: a file in it that this build did not
/// write (a lookup turned off, a size no longer made) is removed.
public struct HostingArtifacts: Sendable {
    public var artifacts: [SiteArtifact]
    /// Files of the folder that this build no longer writes.
    public var obsolete: [URL]
    /// Addresses left out of the aliases because two users have them.
    public var ambiguousAliases: Int

    /// The neutral grey behind the silhouette: white on it passes WCAG AA.
    static let silhouetteBackground = RGBColor(red: 0x76, green: 0x76, blue: 0x76)
    /// `hosting/default-avatar/{size}.jpg`: the silhouette of an unknown Gravatar hash.
    static let defaultAvatarFolder = "default-avatar"

    /// The folder the configs name as the site's: `hosting.root`, else the output folder.
    public static func root(_ configuration: SiteConfiguration, layout: SiteLayout) throws(SiteError) -> String {
        if let root = configuration.hosting.root { return root }
        let path = layout.root.standardizedFileURL.path
        if let problem = HostingConfiguration.problem(withRoot: path) {
            throw SiteError(path: path, reason: "the output folder \(problem); or set hosting.root to the folder the site is served from")
        }
        return path
    }

    public init(configuration: SiteConfiguration, layout: SiteLayout, users: [(id: String, addresses: UserAddresses)],
                templates: [String: Data], silhouette: PlaceholderRenderer) throws(SiteError) {
        let folder = layout.hostingFolder
        let aliases = configuration.output.aliases.isEmpty ? nil : AliasMap(users, fields: configuration.output.aliases)
        let model = HostingViewModel(root: try Self.root(configuration, layout: layout), sizes: configuration.sizes,
                                     hosting: configuration.hosting, aliases: aliases != nil, version: AvatarSiteVersion.current)
        let context = model.context
        // The lookups first, the configs that include them last: a server reloaded in between
        // never reads a config naming a map that is not there yet.
        var artifacts = [SiteArtifact]()
        if let aliases {
            artifacts.append(SiteArtifact(folder.appendingPathComponent("aliases.map"), Data(aliases.text.utf8)))
        }
        if configuration.hosting.gravatar {
            artifacts.append(SiteArtifact(folder.appendingPathComponent("avatars.map"), Data(AvatarHashMap(users).text.utf8)))
            let images: AvatarImages
            do {
                images = try silhouette.render(initials: "", background: Self.silhouetteBackground)
            } catch {
                throw SiteError(path: folder.path, reason: "cannot draw the default avatar: \(error.localizedDescription)")
            }
            for (size, image) in images.bySize {
                artifacts.append(SiteArtifact(folder.appendingPathComponent("\(Self.defaultAvatarFolder)/\(size).jpg"), image.jpeg))
            }
        }
        for (name, data) in templates.sorted(by: { $0.key < $1.key }) {
            let rendered = try Self.render(data, named: name, context: context)
            artifacts.append(SiteArtifact(folder.appendingPathComponent(name), rendered, executable: name.hasSuffix(".sh")))
        }
        self.artifacts = artifacts
        ambiguousAliases = aliases?.ambiguous.count ?? 0
        obsolete = Self.files(in: folder).subtracting(artifacts.map(\.url.standardizedFileURL)).sorted { $0.path < $1.path }
    }

    private static func render(_ template: Data, named name: String, context: [String: Any]) throws(SiteError) -> Data {
        do {
            return Data(try MustacheTemplate(string: String(decoding: template, as: UTF8.self)).render(context).utf8)
        } catch {
            throw SiteError(path: "templates/hosting/\(name)", reason: "the template does not parse: \(error)")
        }
    }

    /// The files of the folder and of its subfolders, one level down, with the temporary files
    /// of a killed run; what is not a file or a real folder (a planted link) is listed to be
    /// removed, never followed.
    private static func files(in folder: URL) -> Set<URL> {
        var files = Set<URL>()
        for url in entries(of: folder) {
            guard isRealFolder(url) else {
                files.insert(url)
                continue
            }
            for inner in entries(of: url) where !isRealFolder(inner) { files.insert(inner) }
        }
        return files
    }

    private static func entries(of folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") || $0.hasPrefix(AtomicFile.temporaryPrefix) }
            .map { folder.appendingPathComponent($0).standardizedFileURL }
    }

    private static func isRealFolder(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
