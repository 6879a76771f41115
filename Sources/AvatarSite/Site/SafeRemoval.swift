import Foundation

/// Removes files and folders without ever following a symbolic link: a link found on the way is
/// removed itself, never what it points at. A user folder swapped for a link to `/etc`, or a
/// staging folder that is a link, must not make the build delete outside the output folder.
///
/// Everything is done relative to open folder descriptors, by the names' own bytes: a path is
/// never resolved again from the root, and a name that is not UTF-8 is removed like any other.
/// Read-only files and folders go too (the owner may `fchmod` a folder to empty it). The walk
/// is a loop, not a recursion, and holds a bounded number of descriptors however deep it goes.
enum SafeRemoval {
    /// Removes `url` and everything in it; nothing there is not an error.
    /// - Throws: the first thing that would not go, once everything else that can go has gone.
    static func remove(_ url: URL) throws(SiteError) {
        try remove(FileName(url.lastPathComponent), in: url.deletingLastPathComponent())
    }

    /// Removes `name` in `folder` and everything in it; nothing there is not an error.
    /// - Throws: the first thing that would not go, once everything else that can go has gone.
    static func remove(_ name: FileName, in folder: URL) throws(SiteError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return }
            throw SiteError(path: folder.path, reason: "cannot open to remove: \(Self.reason(errno))")
        }
        defer { close(descriptor) }
        var walk = Walk(base: descriptor, basePath: folder.path)
        walk.remove(name)
        if let failure = walk.firstFailure { throw failure }
    }

    /// The names in `folder` as the file system holds them, `.` and `..` aside; none when it
    /// does not exist.
    static func names(in folder: URL) throws(SiteError) -> [FileName] {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return [] }
            throw SiteError(path: folder.path, reason: "cannot list: \(Self.reason(errno))")
        }
        defer { close(descriptor) }
        guard let entries = Walk.entries(of: descriptor) else {
            throw SiteError(path: folder.path, reason: "cannot list: \(Self.reason(errno))")
        }
        return entries.map(\.name)
    }

    /// Whether `url` is a symbolic link (not followed).
    static func isSymbolicLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

extension SafeRemoval {
    /// One removal: a stack of the folders being emptied, deepest last.
    private struct Walk {
        struct Entry {
            var name: FileName
            /// From `d_type`: true for a folder, false for anything else, nil when the file
            /// system does not say (then `fstatat` does).
            var isFolder: Bool?
        }

        struct Frame {
            /// -1 while closed to spare descriptors: reopened through `..` when the walk
            /// comes back up, and checked to be the same folder.
            var descriptor: Int32
            let name: FileName
            let device: dev_t
            let inode: ino_t
            let path: String
            /// What is left to remove in it.
            var entries: [Entry]
            /// Whether it was made writable and searchable for its owner already.
            var loosened = false
        }

        /// Folders deeper than this hold no descriptor while the walk is below them.
        static let openFolders = 32

        let base: Int32
        let basePath: String
        var frames = [Frame]()
        var firstFailure: SiteError?

        init(base: Int32, basePath: String) {
            self.base = base
            self.basePath = basePath
        }

        mutating func remove(_ name: FileName) {
            var info = stat()
            guard fstatat(base, name.cString, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno != ENOENT { fail(basePath + "/\(name)", "cannot remove", errno) }
                return
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                if unlinkat(base, name.cString, 0) != 0, errno != ENOENT { fail(basePath + "/\(name)", "cannot remove", errno) }
                return
            }
            guard descend(into: name, path: basePath + "/\(name)") else { return }
            while !frames.isEmpty {
                if let entry = frames[frames.count - 1].entries.popLast() {
                    removeEntry(entry)
                } else {
                    ascend()
                }
            }
        }

        /// Removes one entry of the deepest folder, or descends into it when it is a folder.
        private mutating func removeEntry(_ entry: Entry) {
            let folder = frames.count - 1
            let path = frames[folder].path + "/\(entry.name)"
            var isFolder = entry.isFolder
            if isFolder == nil {
                var info = stat()
                guard attempt(in: folder, { fstatat($0, entry.name.cString, &info, AT_SYMLINK_NOFOLLOW) }) >= 0 else {
                    if errno != ENOENT { fail(path, "cannot remove", errno) }
                    return
                }
                isFolder = info.st_mode & S_IFMT == S_IFDIR
            }
            if isFolder == true {
                descend(into: entry.name, path: path)
            } else if attempt(in: folder, { unlinkat($0, entry.name.cString, 0) }) < 0 {
                // Made a folder since it was listed: emptied like any other.
                if errno == EISDIR { descend(into: entry.name, path: path) } else if errno != ENOENT { fail(path, "cannot remove", errno) }
            }
        }

        /// Opens the folder `name` of the deepest folder (of the base when there is none) and
        /// lists it, as the new deepest folder; false when it cannot be.
        @discardableResult
        private mutating func descend(into name: FileName, path: String) -> Bool {
            let parent = frames.indices.last
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            var descriptor: Int32
            if let parent {
                descriptor = attempt(in: parent) { openat($0, name.cString, flags) }
            } else {
                descriptor = openat(base, name.cString, flags)
            }
            let folder = parent.map { frames[$0].descriptor } ?? base
            if descriptor < 0, errno == EACCES {
                // A folder its owner may not read: let them, then read it.
                if fchmodat(folder, name.cString, S_IRWXU, AT_SYMLINK_NOFOLLOW) == 0 {
                    descriptor = openat(folder, name.cString, flags)
                } else {
                    errno = EACCES
                }
            }
            guard descriptor >= 0 else {
                // A link or a file put there since it was listed is removed itself, never followed.
                if errno == ELOOP || errno == ENOTDIR {
                    if unlinkat(folder, name.cString, 0) != 0, errno != ENOENT { fail(path, "cannot remove", errno) }
                } else if errno != ENOENT {
                    fail(path, "cannot open to remove", errno)
                }
                return false
            }
            var info = stat()
            guard fstat(descriptor, &info) == 0, let entries = Self.entries(of: descriptor) else {
                fail(path, "cannot list to remove", errno)
                close(descriptor)
                return false
            }
            if let parent, frames.count >= Self.openFolders {
                close(frames[parent].descriptor)
                frames[parent].descriptor = -1
            }
            frames.append(Frame(descriptor: descriptor, name: name, device: info.st_dev, inode: info.st_ino, path: path,
                                entries: entries))
            return true
        }

        /// Closes the emptied deepest folder and removes it from its parent.
        private mutating func ascend() {
            let frame = frames.removeLast()
            if let parent = frames.indices.last, frames[parent].descriptor < 0 {
                frames[parent].descriptor = reopenParent(of: frame, expecting: frames[parent])
            }
            if frame.descriptor >= 0 { close(frame.descriptor) }
            guard let parent = frames.indices.last else {
                if unlinkat(base, frame.name.cString, AT_REMOVEDIR) != 0, errno != ENOENT {
                    fail(frame.path, "cannot remove", errno)
                }
                return
            }
            guard frames[parent].descriptor >= 0 else {
                // The folder above moved while it was being emptied: nothing more is removed in it.
                frames[parent].entries.removeAll()
                return
            }
            if attempt(in: parent, { unlinkat($0, frame.name.cString, AT_REMOVEDIR) }) < 0, errno != ENOENT {
                fail(frame.path, "cannot remove", errno)
            }
        }

        /// The folder above `frame` through its `..`, if it is still the folder the walk came from.
        private mutating func reopenParent(of frame: Frame, expecting parent: Frame) -> Int32 {
            let descriptor = openat(frame.descriptor, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            var info = stat()
            guard descriptor >= 0, fstat(descriptor, &info) == 0, info.st_dev == parent.device, info.st_ino == parent.inode else {
                if descriptor >= 0 { close(descriptor) }
                fail(parent.path, "cannot remove", "it was moved while being removed")
                return -1
            }
            return descriptor
        }

        /// Runs `operation` (a call that returns -1 and sets errno when it fails) on the
        /// descriptor of `frames[index]`; if the folder's owner lacks the permission, makes it
        /// readable, writable and searchable for them and runs it again.
        private mutating func attempt(in index: Int, _ operation: (Int32) -> Int32) -> Int32 {
            let result = operation(frames[index].descriptor)
            guard result < 0, errno == EACCES || errno == EPERM, !frames[index].loosened else { return result }
            let code = errno
            frames[index].loosened = true
            guard fchmod(frames[index].descriptor, S_IRWXU) == 0 else {
                errno = code
                return result
            }
            return operation(frames[index].descriptor)
        }

        private mutating func fail(_ path: String, _ what: String, _ code: Int32) {
            fail(path, what, SafeRemoval.reason(code))
        }

        private mutating func fail(_ path: String, _ what: String, _ reason: String) {
            if firstFailure == nil { firstFailure = SiteError(path: path, reason: "\(what): \(reason)") }
        }

        /// The entries of the open folder `descriptor`, `.` and `..` aside; nil (with errno)
        /// when it cannot be listed.
        static func entries(of descriptor: Int32) -> [Entry]? {
            let reading = dup(descriptor)
            guard reading >= 0 else { return nil }
            guard let stream = fdopendir(reading) else {
                let code = errno
                close(reading)
                errno = code
                return nil
            }
            defer { closedir(stream) }
            var entries = [Entry]()
            while true {
                // readdir says the end and a failure alike with nil; errno tells them apart.
                errno = 0
                guard let entry = readdir(stream) else { break }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { FileName(bytes: $0) }
                guard !name.isDotOrDotDot else { continue }
                let type = Int(entry.pointee.d_type)
                entries.append(Entry(name: name, isFolder: type == DT_UNKNOWN ? nil : type == DT_DIR))
            }
            return errno == 0 ? entries : nil
        }
    }
}
