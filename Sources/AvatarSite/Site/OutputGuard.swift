import Foundation
import AvatarSiteContract

/// Refuses output folders a build must not write into, before it writes anything: publishing
/// removes every folder under `users/` that the new index does not list, retires old files of
/// `hosting/` and `assets/`, and stages files under the state folder, so a wrong `output.dir`
/// (or a planted link) could delete or write elsewhere.
enum OutputGuard {
    /// - Parameter allowDeletions: `--allow-deletions`, which accepts `/`, the home folder and a
    ///   folder of other files (never links).
    static func check(_ layout: SiteLayout, allowDeletions: Bool) throws(BuildError) {
        let folders = [layout.usersFolder, layout.stateFolder, layout.stagingFolder, layout.hostingFolder,
                       layout.hostingFolder.appendingPathComponent(HostingArtifacts.defaultAvatarFolder), layout.assetsFolder]
        for folder in folders where SafeRemoval.isSymbolicLink(folder) {
            throw BuildError(.unsafeOutput(path: folder.path,
                                           reason: "is a symbolic link; the build writes and removes only in real folders of its own"))
        }
        let root = layout.root.resolvingSymlinksInPath().standardizedFileURL
        let home = FileManager.default.homeDirectoryForCurrentUser.resolvingSymlinksInPath().standardizedFileURL
        if !allowDeletions, root.path == "/" || root.path == home.path {
            throw BuildError(.unsafeOutput(path: root.path, reason: "is \(root.path == "/" ? "the root folder" : "the home folder"), "
                                           + "not a site; choose another output.dir (or run with --allow-deletions)"))
        }
        let visible = ((try? FileManager.default.contentsOfDirectory(atPath: layout.root.path)) ?? []).filter { !$0.hasPrefix(".") }
        let ours = FileManager.default.fileExists(atPath: layout.usersIndex.path)
            || FileManager.default.fileExists(atPath: layout.stateFile.path)
        if !allowDeletions, !visible.isEmpty, !ours {
            throw BuildError(.unsafeOutput(path: layout.root.path,
                                           reason: "holds other files and was never an avatar-site output; choose an empty folder "
                                               + "(or run with --allow-deletions)"))
        }
    }

    /// The state folder must be on the output's file system: its staging area is renamed into
    /// the site, which no rename can do across file systems.
    static func checkSameFileSystem(_ layout: SiteLayout) throws(BuildError) {
        var rootInfo = stat(), stateInfo = stat()
        guard stat(layout.root.path, &rootInfo) == 0, stat(layout.stateFolder.path, &stateInfo) == 0 else { return }
        if rootInfo.st_dev != stateInfo.st_dev {
            throw BuildError(.unsafeOutput(path: layout.stateFolder.path,
                                           reason: "output.state_dir is on another file system than output.dir; staged folders "
                                               + "are renamed into the site, so both must be on one"))
        }
    }
}
