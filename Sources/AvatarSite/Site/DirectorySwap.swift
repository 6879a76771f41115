import CFileSystem
import Foundation

/// Puts a staged folder in place of the published one in a single step, so a reader sees the
/// old folder or the new one and never a mix (Linux `renameat2(RENAME_EXCHANGE)`).
enum DirectorySwap {
    /// Moves `staged` to `target`. When `target` exists the two are exchanged and the old
    /// contents, now at `staged`, are removed.
    static func replace(_ target: URL, with staged: URL) throws(SiteError) {
        if rename(staged.path, target.path) == 0 { return }
        let renameError = errno
        // rename(2) cannot replace a non-empty folder: exchange them instead.
        guard renameError == ENOTEMPTY || renameError == EEXIST || renameError == EISDIR else {
            throw SiteError(path: target.path, reason: "cannot move the new files into place: \(String(cString: strerror(renameError)))")
        }
        if cfs_exchange_paths(staged.path, target.path) != 0 {
            // A file system without exchange: move the old folder aside first. For a moment the
            // user has no folder; users.json still lists them and a retry of the build mends it.
            let aside = staged.deletingLastPathComponent().appendingPathComponent(".old-\(staged.lastPathComponent)")
            guard rename(target.path, aside.path) == 0, rename(staged.path, target.path) == 0 else {
                throw SiteError(path: target.path, reason: "cannot replace the folder: \(String(cString: strerror(errno)))")
            }
            try remove(aside)
            return
        }
        try remove(staged)
    }

    static func remove(_ url: URL) throws(SiteError) {
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw SiteError(path: url.path, reason: "cannot remove: \(error.localizedDescription)")
        }
    }
}
