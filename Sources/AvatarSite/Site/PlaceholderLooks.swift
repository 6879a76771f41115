public import Foundation
import Synchronization

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
        /// Paths of the look's files, relative to its folder.
        let files: [String]
        /// The folders they are in ("" for the top), made once per user before the links.
        let folders: [String]
        public let digest: String
    }

    private struct Key: Hashable {
        var initials: String
        var background: RGBColor
        var provisional: Bool
    }

    private let root: URL
    private let renderer: PlaceholderRenderer
    private let sizes: [PhotoSize]
    private let looks = Mutex<[Key: Look]>([:])
    private let serial = Atomic<Int>(0)

    public init(root: URL, renderer: PlaceholderRenderer, sizes: [PhotoSize]) {
        self.root = root
        self.renderer = renderer
        self.sizes = sizes
    }

    /// How many distinct looks were drawn.
    public var count: Int { looks.withLock { $0.count } }

    /// Writes `userID`'s placeholder folder at `folder`, drawing the look first if no user had it.
    public func write(initials: String, userID: String, provisional: Bool, to folder: URL) throws(PlaceholderError)
        -> UserFiles.Written {
        let look = try self.look(Key(initials: initials, background: renderer.background(for: userID), provisional: provisional))
        do throws(SiteError) {
            for subfolder in look.folders {
                try FileManager.default.createDirectoryIfMissing(folder.appendingPathComponent(subfolder))
            }
            for file in look.files {
                let target = folder.appendingPathComponent(file)
                guard link(look.folder.appendingPathComponent(file).path, target.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    throw SiteError(path: target.path, reason: "cannot link the placeholder: \(reason)")
                }
            }
        } catch {
            throw .site(error)
        }
        return UserFiles.Written(digest: look.digest, files: look.files.count)
    }

    private func look(_ key: Key) throws(PlaceholderError) -> Look {
        if let known = looks.withLock({ $0[key] }) { return known }
        // Drawn outside the lock; two workers may draw one look at once, and the first one kept wins.
        let folder = root.appendingPathComponent("look-\(serial.wrappingAdd(1, ordering: .relaxed).oldValue)")
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
        let files = filesBelow(folder)
        let folders = Set(files.map { ($0 as NSString).deletingLastPathComponent }).sorted()
        let look = Look(folder: folder, files: files, folders: folders, digest: written.digest)
        return looks.withLock { looks in
            if let first = looks[key] { return first }
            looks[key] = look
            return look
        }
    }

    private func filesBelow(_ folder: URL) -> [String] {
        let prefix = folder.path + "/"
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var files = [String]()
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: prefix + path, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}

/// Why a placeholder could not be made.
public enum PlaceholderError: Error, Sendable {
    case imaging(ImagingError)
    case site(SiteError)
}
