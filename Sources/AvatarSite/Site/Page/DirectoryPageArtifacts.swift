public import Foundation
public import AvatarSiteContract

/// The directory page's files for one build (docs/directory-data.md): the stylesheet, the
/// script and the logo in `assets/` and the data script at the top, each under a hashed name,
/// and `index.html` naming them; then the hashed files of two builds ago to remove.
public struct DirectoryPageArtifacts: Sendable {
    /// The files to write, `index.html` last: a page never names a file not yet written.
    public var artifacts: [SiteArtifact]
    /// The build's own hashed files that neither the new page nor the one it replaces names.
    public var obsolete: [URL]

    public static let none = DirectoryPageArtifacts(artifacts: [], obsolete: [])

    public init(artifacts: [SiteArtifact], obsolete: [URL]) {
        self.artifacts = artifacts
        self.obsolete = obsolete
    }

    /// Renders the page for the users of the new index and decides what it replaces. Reads the
    /// site (the current `index.html`, the hashed files present) but writes nothing.
    /// - Parameters:
    ///   - users: the entries of the new `users.json`, in any order.
    ///   - sizes: the sizes every user has, as `WxH`, ascending.
    ///   - design: the title, logo and templates.
    ///   - fields: the public fields, in the order the page shows them.
    public static func make(users: [UserEntry], sizes: [String], design: PageDesign, fields: [String],
                            layout: SiteLayout) -> DirectoryPageArtifacts {
        var files = [(path: String, data: Data)]()
        func add(_ folder: String?, stem: String, suffix: String, data: Data) -> String {
            let name = HashedName.make(stem: stem, extension: suffix, data: data)
            let path = folder.map { "\($0)/\(name)" } ?? name
            files.append((path, data))
            return path
        }
        let stylesheet = add("assets", stem: "app", suffix: "css", data: design.templates.stylesheet)
        let script = add("assets", stem: "app", suffix: "js", data: design.templates.script)
        let logo = design.logo.map { add("assets", stem: "logo", suffix: $0.suffix, data: $0.data) }
        let data = DirectoryData.script(users: users, fields: fields, sizes: sizes)
        let dataScript = add(nil, stem: HashedName.dataStem, suffix: "js", data: data)
        let view = PageView(title: design.title, logo: logo, stylesheet: stylesheet, script: script, dataScript: dataScript,
                            count: users.count)
        let page = Data(view.render(design.templates.page).html.utf8)

        let previousPage = (try? Data(contentsOf: layout.page)).map { String(decoding: $0, as: UTF8.self) }
        let obsolete = HashedFileRetention.obsolete(present: presentHashedFiles(layout), written: Set(files.map(\.path)),
                                                    previousPage: previousPage)
        return DirectoryPageArtifacts(
            artifacts: files.map { SiteArtifact(layout.root.appendingPathComponent($0.path), $0.data) } + [SiteArtifact(layout.page, page)],
            obsolete: obsolete.map { layout.root.appendingPathComponent($0) })
    }

    /// The build's own hashed files in the site now, as paths from its root.
    static func presentHashedFiles(_ layout: SiteLayout) -> [String] {
        let fileManager = FileManager.default
        let top = (try? fileManager.contentsOfDirectory(atPath: layout.root.path)) ?? []
        let assets = (try? fileManager.contentsOfDirectory(atPath: layout.assetsFolder.path)) ?? []
        return top.filter { HashedName.isOwn($0, inAssets: false) }
            + assets.filter { HashedName.isOwn($0, inAssets: true) }.map { "assets/\($0)" }
    }

    /// Removes the obsolete files; run once the new page is published.
    public func removeObsolete() throws(SiteError) {
        for url in obsolete {
            try SafeRemoval.remove(url)
        }
    }
}
