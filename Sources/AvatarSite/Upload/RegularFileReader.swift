import Foundation

/// Reads a regular file, and only that, up to a limit. The file is opened without following a
/// link and its type and size are taken from the open descriptor, so what is checked is what is
/// read: a link (to anything, anywhere), a FIFO, a device, a socket or a folder is refused
/// unread, and no more than `limit + 1` bytes are ever read, whatever the size said.
enum RegularFileReader {
    enum Refusal: Error, Equatable {
        /// Not a regular file: what it is instead (`a symbolic link`, `a FIFO`…).
        case notAFile(String)
        /// Over the limit: by its size (nothing read), or, when the size said less, by what
        /// was read (`size` nil).
        case tooLarge(size: Int?)
        /// The file could not be opened or read.
        case unreadable(String)
    }

    static func read(_ url: URL, limit: Int) throws(Refusal) -> Data {
        // O_NOFOLLOW: a link is refused, never followed. O_NONBLOCK: opening a FIFO does not
        // wait for a writer (a socket cannot be opened at all).
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = errno
            var status = stat()
            if lstat(url.path, &status) == 0, let kind = Self.kind(of: status) { throw .notAFile(kind) }
            throw .unreadable(String(cString: strerror(failure)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        if let kind = Self.kind(of: status) { throw .notAFile(kind) }
        guard status.st_size <= limit else { throw .tooLarge(size: Int(status.st_size)) }

        var data = Data(capacity: Int(status.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        // One byte past the limit is enough to know the file is over it.
        while data.count <= limit {
            let wanted = min(chunk.count, limit + 1 - data.count)
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        guard data.count <= limit else { throw .tooLarge(size: nil) }
        return data
    }

    /// What a file that is not a regular file is, in words; nil for a regular file.
    private static func kind(of status: stat) -> String? {
        switch status.st_mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): nil
        case mode_t(S_IFLNK): "a symbolic link"
        case mode_t(S_IFDIR): "a folder"
        case mode_t(S_IFIFO): "a FIFO"
        case mode_t(S_IFSOCK): "a socket"
        case mode_t(S_IFCHR), mode_t(S_IFBLK): "a device"
        default: "not a regular file"
        }
    }
}
