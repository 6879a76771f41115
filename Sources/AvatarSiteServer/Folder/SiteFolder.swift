public import Foundation

/// The built folder, read as it is on disk at each request, and never outside it.
///
/// A path is opened one segment at a time from the root, refusing symbolic links: the build
/// writes none, so one below the root was put there by someone else and may point anywhere. The
/// root itself may be a link (a deploy that switches releases). Checking each step on the open
/// folder, rather than resolving the path first, leaves no moment in which a swapped link is
/// followed.
public struct SiteFolder: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// An open regular file, closed when the value goes.
    public final class OpenFile {
        // A class rather than a struct because deinit must close the descriptor.
        private let descriptor: Int32
        public let validators: FileValidators
        /// What tells a changed file from the same one: inode, size and time to the nanosecond.
        public let identity: FileIdentity

        fileprivate init(descriptor: Int32, status: stat) {
            self.descriptor = descriptor
            validators = FileValidators(size: Int(status.st_size), modified: Int(status.st_mtim.tv_sec))
            identity = FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int64(status.st_size),
                                    seconds: Int64(status.st_mtim.tv_sec), nanoseconds: Int64(status.st_mtim.tv_nsec))
        }

        deinit {
            close(descriptor)
        }

        /// The file's bytes, as many as it had when it was opened.
        public func read() throws(SiteFolderError) -> Data {
            var data = Data(count: validators.size)
            var offset = 0
            while offset < validators.size {
                let count = data.withUnsafeMutableBytes { buffer in
                    buffer.baseAddress.map { pread(descriptor, $0 + offset, validators.size - offset, off_t(offset)) } ?? 0
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw SiteFolderError(reason: String(cString: strerror(errno)))
                }
                // Shorter than it was: a file being cut short in place; what was read is what it holds.
                if count == 0 { return data.prefix(offset) }
                offset += count
            }
            return data
        }
    }

    /// Opens `relative` (`users/{id}/photo.jpg`) below the root; nil when it is missing, is not a
    /// regular file, or a segment of it is a link.
    public func file(at relative: String) -> OpenFile? {
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, segments.allSatisfy(Self.isPlainSegment) else { return nil }
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return nil }
        for segment in segments.dropLast() {
            let next = openat(folder, String(segment), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(folder)
            guard next >= 0 else { return nil }
            folder = next
        }
        // O_NONBLOCK: opening a FIFO someone left here must not hang the request.
        let descriptor = openat(folder, String(segments[segments.count - 1]), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        close(folder)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else {
            close(descriptor)
            return nil
        }
        return OpenFile(descriptor: descriptor, status: status)
    }

    /// Routes build their paths from checked segments; this is the last line all the same.
    private static func isPlainSegment(_ segment: Substring) -> Bool {
        !segment.isEmpty && segment != "." && segment != ".." && !segment.utf8.contains(0)
    }
}

/// Tells whether a file read earlier is still the one on disk.
public struct FileIdentity: Equatable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var seconds: Int64
    public var nanoseconds: Int64
}

public struct SiteFolderError: Error, LocalizedError {
    public var reason: String

    public var errorDescription: String? { "the file could not be read: \(reason)" }
}
