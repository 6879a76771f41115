public import Foundation
import Synchronization

/// Writes files so that a reader (or a process killed halfway, or a power cut) sees the old bytes
/// or the new ones, never a mix: the bytes go to a hidden temporary file in the same folder,
/// synced, then `rename(2)`.
public enum AtomicFile {
    /// Temporary files start with this; a later run removes any a killed run left behind.
    public static let temporaryPrefix = ".avatar-site-tmp-"

    private static let counter = Atomic<Int>(0)

    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644) throws(SiteError) {
        let folder = url.deletingLastPathComponent()
        let serial = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        let temporary = folder.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(serial)")
        do throws(SiteError) {
            try FileWriter.write(data, to: temporary, durable: true, permissions: permissions)
        } catch {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try FileWriter.write(data, to: temporary, durable: true, permissions: permissions)
            } catch {
                _ = unlink(temporary.path)
                throw SiteError(path: url.path, reason: "cannot write: \(error.localizedDescription)")
            }
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = unlink(temporary.path)
            throw SiteError(path: url.path, reason: "cannot move into place: \(reason)")
        }
    }
}
