import Foundation

/// A folder opened once, whose files are made, written and linked by names relative to it.
/// A user's folder holds twenty files; naming each by its full path cost a `URL` built and the
/// whole path walked by the kernel for every one (and Foundation's `appendingPathComponent`
/// asks the file system whether each name is a folder), a twentieth of a cold build's CPU.
struct OpenFolder: ~Copyable {
    let descriptor: Int32
    /// For messages: the folder's path.
    let path: String

    /// Opens `url`, refusing a link planted in its place.
    init(_ url: URL) throws(SiteError) {
        path = url.path
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = errno
            throw SiteError(path: path, reason: "cannot open the folder: \(Self.describe(failure))")
        }
    }

    deinit { close(descriptor) }

    /// Makes the folder `name` in this one; one already there is left as it is. Its mode is
    /// Foundation's, 0777 less the umask.
    func makeFolder(_ name: String) throws(SiteError) {
        guard mkdirat(descriptor, name, 0o777) != 0 else { return }
        let failure = errno
        guard failure == EEXIST else {
            throw SiteError(path: "\(path)/\(name)", reason: "cannot create the folder: \(Self.describe(failure))")
        }
    }

    /// Writes `data` to the file at `name` (which may name a file in a subfolder), as
    /// `FileWriter.write` does: a link planted there is refused, never written through.
    func write(_ data: Data, to name: String, permissions: mode_t = 0o644) throws(SiteError) {
        let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, permissions)
        guard file >= 0 else {
            let failure = errno
            throw SiteError(path: "\(path)/\(name)", reason: "cannot write: \(Self.describe(failure))")
        }
        try FileWriter.write(data, into: file, path: "\(path)/\(name)", durable: false)
    }

    /// Hard-links `source`'s file `name` to the same name here; the `errno` of a refusal, or 0.
    func link(_ name: String, from source: borrowing OpenFolder) -> Int32 {
        linkat(source.descriptor, name, descriptor, name, 0) == 0 ? 0 : errno
    }

    private static func describe(_ failure: Int32) -> String { String(cString: strerror(failure)) }
}
