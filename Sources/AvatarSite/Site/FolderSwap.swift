import CFileSystem
import Foundation

/// Puts a staged folder in place of the published one in a single step, so a reader sees the
/// old folder or the new one and never a mix (Linux `renameat2(RENAME_EXCHANGE)`).
enum FolderSwap {
    /// Moves `staged` to `target`. When `target` exists the two are exchanged and the old
    /// contents, now at `staged`, are removed.
    static func replace(_ target: URL, with staged: URL, fileSystem: FileSystemSupport) throws(SiteError) {
        // A link where a user's folder belongs was not made by a build: it goes, unfollowed.
        if SafeRemoval.isSymbolicLink(target) { try SafeRemoval.remove(target) }
        if rename(staged.path, target.path) == 0 { return }
        let renameError = errno
        // rename(2) cannot replace a non-empty folder: exchange them instead.
        guard renameError == ENOTEMPTY || renameError == EEXIST || renameError == EISDIR else {
            throw SiteError(path: target.path, reason: "cannot move the new files into place: \(String(cString: strerror(renameError)))")
        }
        if fileSystem.exchange.isAvailable {
            guard cfs_exchange_paths(staged.path, target.path) != 0 else {
                try remove(staged)
                return
            }
            let exchangeError = errno
            guard FileSystemSupport.isUnsupported(exchangeError) else {
                throw SiteError(path: target.path, reason: "cannot swap in the new files: \(String(cString: strerror(exchangeError)))")
            }
            fileSystem.exchange.markUnavailable()
        }
        // A file system without exchange: move the old folder aside first. For a moment the
        // user has no folder; if the process dies then, the next run puts the old one back
        // (`SitePublisher.removeLeftovers`).
        let aside = asideFolder(for: staged)
        guard rename(target.path, aside.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw SiteError(path: target.path, reason: "cannot move the old files aside: \(reason)")
        }
        guard rename(staged.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside.path, target.path)
            throw SiteError(path: target.path, reason: "cannot move the new files into place: \(reason)")
        }
        try remove(aside)
    }

    /// Where the fallback parks a user's old folder while the new one moves in.
    static func asideFolder(for staged: URL) -> URL {
        staged.deletingLastPathComponent().appendingPathComponent(asidePrefix + staged.lastPathComponent)
    }

    static let asidePrefix = ".old-"

    static func remove(_ url: URL) throws(SiteError) {
        try SafeRemoval.remove(url)
    }
}
