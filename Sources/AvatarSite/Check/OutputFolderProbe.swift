import Foundation
import AvatarSiteContract

/// Whether a build could write `output.dir`, found out without leaving anything behind: the
/// folder (or, when it does not exist yet, its nearest existing parent) must be a folder, take
/// a new file, and have room; an existing folder must be one a build may write into.
enum OutputFolderProbe {
    /// Free space below which a site is not worth starting: a 1,000-user site with the nine
    /// default sizes takes about 60 MB.
    static let minimumFreeBytes: UInt64 = 100 * 1024 * 1024

    /// `path` itself if it exists, else its nearest existing parent.
    static func nearestExisting(_ path: URL, exists: (String) -> Bool) -> URL {
        var candidate = path.standardizedFileURL
        while !exists(candidate.path), candidate.path != "/" {
            candidate = candidate.deletingLastPathComponent()
        }
        return candidate
    }

    /// The verdict on the free space of the folder a site goes to.
    static func room(free: UInt64, in folder: String) -> CheckOutcome? {
        guard free < minimumFreeBytes else { return nil }
        return .failed("only \(megabytes(free)) free where \(folder) is; a site needs at least \(megabytes(minimumFreeBytes)).",
                       fix: "Free some space there, or set output.dir to a folder on a disk with room.")
    }

    static func megabytes(_ bytes: UInt64) -> String {
        "\(bytes / 1_048_576) MB"
    }

    /// Checks `loaded`'s output folder; the only write is a temporary file, removed at once.
    static func check(_ loaded: ConfigurationLoader.Loaded) -> CheckOutcome {
        let target = loaded.outputDirectory
        let folder = nearestExisting(target) { FileManager.default.fileExists(atPath: $0) }
        let shown = folder.path == target.standardizedFileURL.path ? target.path : "\(folder.path) (\(target.path) does not exist yet)"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            return .failed("\(folder.path) is a file, so \(target.path) cannot be a folder.",
                           fix: "Set output.dir to a folder path.")
        }
        if let refusal = writeProbe(in: folder) {
            return .failed("\(shown) cannot be written: \(refusal).",
                           fix: "Let the user that runs the nightly job write there (chown or chmod, or a read-write mount), "
                               + "or set output.dir to a folder it may write.")
        }
        var info = statvfs()
        guard statvfs(folder.path, &info) == 0 else {
            return .failed("the free space of \(folder.path) cannot be read: \(String(cString: strerror(errno))).",
                           fix: "Set output.dir to a folder on a local disk.")
        }
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        if let verdict = room(free: free, in: folder.path) { return verdict }
        if folder.path == target.standardizedFileURL.path {
            do throws(BuildError) {
                try OutputGuard.check(loaded.layout, allowDeletions: false)
            } catch {
                guard case .unsafeOutput(let path, let reason) = error.reason else {
                    return .failed(error.localizedDescription, fix: "Set output.dir to an empty folder, or to the site's own.")
                }
                // The guard's reason names its way out (another folder, or --allow-deletions) itself.
                return .failed("a build would refuse \(path): it \(reason).", fix: "Set output.dir to an empty folder, or to the site's own.")
            }
        }
        return .passed("\(shown) can be written, \(megabytes(free)) free.")
    }

    /// Creates a file that did not exist in `folder` and removes it; nil when that worked, else why not.
    static func writeProbe(in folder: URL) -> String? {
        let probe = folder.appendingPathComponent(".avatar-site-check-\(UUID().uuidString)").path
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        let written = write(descriptor, "x", 1)
        let writeError = errno
        close(descriptor)
        // The probe goes whatever happened, so the check leaves nothing behind.
        guard unlink(probe) == 0 else { return "a test file could not be removed again: \(String(cString: strerror(errno)))" }
        return written == 1 ? nil : String(cString: strerror(writeError))
    }
}
