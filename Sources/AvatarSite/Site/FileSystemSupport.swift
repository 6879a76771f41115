import Foundation
import Synchronization

/// What the output folder's file system can do, found out once: network and removable file
/// systems (NFS, SMB, exFAT) may refuse `renameat2(RENAME_EXCHANGE)` or hard links. The first
/// refusal switches to the fallback for the rest of the run instead of failing every user:
/// - without exchange, a user's old folder is moved aside and the new one moved in (for a
///   moment the user has no folder; a killed run puts the old one back, `SitePublisher`);
/// - without hard links, each placeholder file is copied from its look.
public final class FileSystemSupport: Sendable {
    public final class Capability: Sendable {
        private let available = Atomic(true)

        public var isAvailable: Bool { available.load(ordering: .relaxed) }

        public func markUnavailable() {
            available.store(false, ordering: .relaxed)
        }

        init(available: Bool) {
            self.available.store(available, ordering: .relaxed)
        }
    }

    public let exchange: Capability
    public let hardLinks: Capability

    /// Both assumed until the file system refuses one; a test may start without them.
    public init(exchange: Bool = true, hardLinks: Bool = true) {
        self.exchange = Capability(available: exchange)
        self.hardLinks = Capability(available: hardLinks)
    }

    /// Whether `error` says the file system lacks the operation rather than that it failed.
    static func isUnsupported(_ error: Int32) -> Bool {
        [ENOSYS, EINVAL, ENOTSUP, EOPNOTSUPP, EPERM, EXDEV].contains(error)
    }
}
