import CFileSystem
public import Foundation

/// Writes bytes to a file with open/write/close and nothing more. Foundation's `Data.write`
/// calls `fsync` for every file; a build writes twenty files a user, and on ext4 each of those
/// waits for the disk (a cold build spent more time in `fsync` than in resizing). Durability is
/// bought once instead, for the whole staging folder, by `flushFileSystem` before the publish.
/// The few files replaced in place (`users.json`, `index.html`, the state, the report) ask for
/// `durable`, an `fsync` of their own before they are renamed over the old ones.
public enum FileWriter {
    public static func write(_ data: Data, to url: URL, durable: Bool = false, permissions: mode_t = 0o644) throws(SiteError) {
        // O_NOFOLLOW: a link planted where a file of the site goes is refused, never written through.
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, permissions)
        guard descriptor >= 0 else {
            let failure = errno
            throw SiteError(path: url.path, reason: "cannot write: \(String(cString: strerror(failure)))")
        }
        try write(data, into: descriptor, path: url.path, durable: durable)
    }

    /// Writes `data` into the open file `descriptor` and closes it, whatever happens.
    static func write(_ data: Data, into descriptor: Int32, path: @autoclosure () -> String, durable: Bool) throws(SiteError) {
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, durable, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            throw SiteError(path: path(), reason: "cannot write: \(String(cString: strerror(failure)))")
        }
    }

    /// Makes everything written so far under `folder` durable: one `syncfs(2)` for the file
    /// system holding it, so files swapped into the site are on disk before they are visible.
    public static func flushFileSystem(containing folder: URL) throws(SiteError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = errno
            throw SiteError(path: folder.path, reason: "cannot open to flush: \(String(cString: strerror(failure)))")
        }
        defer { close(descriptor) }
        guard cfs_sync_file_system(descriptor) == 0 else {
            let failure = errno
            throw SiteError(path: folder.path, reason: "cannot flush to disk: \(String(cString: strerror(failure)))")
        }
    }
}
