import Foundation
import AvatarSiteContract

/// One build at a time per output folder: two nightly jobs that overlap would publish each
/// other's half-staged work. The kernel drops the lock when the process ends, even when killed.
final class BuildLock: Sendable {
    private let descriptor: Int32

    init(layout: SiteLayout) throws(SiteError) {
        let path = layout.lockFile.path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw SiteError(path: path, reason: "cannot open the lock file: \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SiteError(path: layout.root.path, reason: "another build is writing this folder")
        }
        self.descriptor = descriptor
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
