public import Foundation
import Synchronization
public import AvatarSiteContract
public import AvatarSiteImaging

/// Placeholders drawn once per look, and linked into every user who has that look.
///
/// A placeholder depends only on its initials and colour (and the build's sizes and style), and
/// a large directory repeats both. Holding every look's images in memory would grow with the
/// directory; instead each look's folder is written once under the staging folder, and each
/// user's folder is made of hard links to its files: no drawing, no encoding, no bytes written.
/// The links outlive the staging folder, which is removed after the publish as always.
public final class PlaceholderLooks: Sendable {
    public struct Look: Sendable {
        let folder: URL
        /// The look's files, relative to its folder, in the order they were written.
        let written: UserFiles.Written
        /// The folders they are in ("" for the top), made once per user before the links.
        let folders: [String]
    }

    private struct Key: Hashable {
        var initials: String
        var background: RGBColor
        var provisional: Bool
    }

    private let root: URL
    private let renderer: PlaceholderRenderer
    private let sizes: [PhotoSize]
    private let fileSystem: FileSystemSupport
    private let looks = Mutex<[Key: Look]>([:])
    private let serial = Atomic<Int>(0)

    public init(root: URL, renderer: PlaceholderRenderer, sizes: [PhotoSize], fileSystem: FileSystemSupport = FileSystemSupport()) {
        self.root = root
        self.renderer = renderer
        self.sizes = sizes
        self.fileSystem = fileSystem
    }

    /// How many distinct looks were drawn.
    public var count: Int { looks.withLock { $0.count } }

    /// Writes `userID`'s placeholder folder at `folder`, drawing the look first if no user had it.
    public func write(initials: String, userID: String, provisional: Bool, to folder: URL) throws(PlaceholderError)
        -> UserFiles.Written {
        let look = try self.look(Key(initials: initials, background: renderer.background(for: userID), provisional: provisional))
        do throws(SiteError) {
            try FileManager.default.createDirectoryIfMissing(folder)
            let source = try OpenFolder(look.folder)
            let target = try OpenFolder(folder)
            for subfolder in look.folders where !subfolder.isEmpty {
                try target.makeFolder(subfolder)
            }
            for file in look.written.paths {
                try place(file, from: source, in: target)
            }
        } catch {
            throw .site(error)
        }
        return look.written
    }

    /// A hard link to the look's file, or a copy where the file system has no hard links (or
    /// the file has all it can take: ext4 allows 65,000, and a large directory shares looks).
    func place(_ file: String, from look: borrowing OpenFolder, in folder: borrowing OpenFolder) throws(SiteError) {
        if fileSystem.hardLinks.isAvailable {
            let failure = folder.link(file, from: look)
            if failure == 0 { return }
            if FileSystemSupport.isUnsupported(failure) {
                fileSystem.hardLinks.markUnavailable()
            } else if failure != EMLINK {
                throw SiteError(path: "\(folder.path)/\(file)", reason: "cannot link the placeholder: \(String(cString: strerror(failure)))")
            }
        }
        let source = URL(fileURLWithPath: look.path).appendingPathComponent(file, isDirectory: false)
        let data: Data
        do {
            data = try Data(contentsOf: source)
        } catch {
            throw SiteError(path: source.path, reason: "cannot read the placeholder to copy it: \(error.localizedDescription)")
        }
        try folder.write(data, to: file)
    }

    private func look(_ key: Key) throws(PlaceholderError) -> Look {
        if let known = looks.withLock({ $0[key] }) { return known }
        // Drawn outside the lock; two workers may draw one look at once, and the first one kept wins.
        let folder = root.appendingPathComponent("look-\(serial.wrappingAdd(1, ordering: .relaxed).oldValue)", isDirectory: true)
        let images: AvatarImages
        do {
            images = try renderer.render(initials: key.initials, background: key.background)
        } catch {
            throw .imaging(error)
        }
        let written: UserFiles.Written
        do {
            written = try UserFiles.write(images, sizes: sizes, provisional: key.provisional, to: folder)
        } catch {
            throw .site(error)
        }
        let folders = Set(written.paths.map { ($0 as NSString).deletingLastPathComponent }).sorted()
        let look = Look(folder: folder, written: written, folders: folders)
        return looks.withLock { looks in
            if let first = looks[key] { return first }
            looks[key] = look
            return look
        }
    }
}

/// Why a placeholder could not be made.
public enum PlaceholderError: Error, Sendable {
    case imaging(ImagingError)
    case site(SiteError)
}
