import Foundation

/// Removes files and folders without ever following a symbolic link: a link found on the way is
/// removed itself, never what it points at. A user folder swapped for a link to `/etc`, or a
/// staging folder that is a link, must not make the build delete outside the output folder.
enum SafeRemoval {
    static func remove(_ url: URL) throws(SiteError) {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            if errno == ENOENT { return }
            throw SiteError(path: url.path, reason: "cannot remove: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            guard unlink(url.path) == 0 else { throw SiteError(path: url.path, reason: "cannot remove: \(String(cString: strerror(errno)))") }
            return
        }
        let folder = open(url.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else { throw SiteError(path: url.path, reason: "cannot open to remove: \(String(cString: strerror(errno)))") }
        defer { close(folder) }
        try removeContents(of: folder, path: url.path)
        guard rmdir(url.path) == 0 else { throw SiteError(path: url.path, reason: "cannot remove: \(String(cString: strerror(errno)))") }
    }

    /// Empties the open folder `descriptor`, descending only into real folders.
    private static func removeContents(of descriptor: Int32, path: String) throws(SiteError) {
        let reading = dup(descriptor)
        guard reading >= 0, let stream = fdopendir(reading) else {
            throw SiteError(path: path, reason: "cannot list to remove: \(String(cString: strerror(errno)))")
        }
        defer { closedir(stream) }
        var names = [String]()
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names {
            var info = stat()
            guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { throw SiteError(path: "\(path)/\(name)", reason: "cannot open to remove") }
                defer { close(child) }
                try removeContents(of: child, path: "\(path)/\(name)")
                guard unlinkat(descriptor, name, AT_REMOVEDIR) == 0 else {
                    throw SiteError(path: "\(path)/\(name)", reason: "cannot remove: \(String(cString: strerror(errno)))")
                }
            } else if unlinkat(descriptor, name, 0) != 0 {
                throw SiteError(path: "\(path)/\(name)", reason: "cannot remove: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Whether `url` is a symbolic link (not followed).
    static func isSymbolicLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}
