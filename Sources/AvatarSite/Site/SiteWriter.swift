public import Foundation

/// Writes the static folder of the output contract.
///
/// Within a user's folder the size files go first and `photo.json` last, and `users.json` is
/// written only after every user it lists, so a reader never finds an entry without its files.
public struct SiteWriter: Sendable {
    public let root: URL
    public let sizes: [PhotoSize]

    public init(root: URL, sizes: [PhotoSize]) {
        self.root = root
        self.sizes = sizes
    }

    public func userFolder(_ id: String) -> URL {
        root.appendingPathComponent("users").appendingPathComponent(id)
    }

    /// Writes every file of one user. `id` must already have passed `PathSegment.isSafe`.
    public func writeUser(id: String, images: AvatarImages) throws(SiteError) {
        guard PathSegment.isSafe(id) else { throw SiteError(path: id, reason: "not a safe path segment") }
        let folder = userFolder(id)
        let photos = folder.appendingPathComponent("photos")
        var documents = [PhotoDocument]()
        for size in sizes {
            guard let image = images.bySize[size] else {
                throw SiteError(path: photos.path, reason: "no image was made at \(size)")
            }
            try AtomicFile.write(image.jpeg, to: photos.appendingPathComponent("\(size).jpg"))
            if let webp = image.webp {
                try AtomicFile.write(webp, to: photos.appendingPathComponent("\(size).webp"))
            }
            let document = PhotoDocument(image: image.jpeg, size: size, placeholder: images.isPlaceholder,
                                         sourceSize: images.sourceSize)
            try AtomicFile.write(try SiteJSON.encode(document), to: photos.appendingPathComponent("\(size).json"))
            documents.append(document)
        }
        try AtomicFile.write(try SiteJSON.encode(PhotoCollectionDocument(value: documents)),
                             to: folder.appendingPathComponent("photos.json"))
        try AtomicFile.write(images.largest.jpeg, to: folder.appendingPathComponent("photo.jpg"))
        if let webp = images.largest.webp {
            try AtomicFile.write(webp, to: folder.appendingPathComponent("photo.webp"))
        }
        let largest = PhotoDocument(image: images.largest.jpeg, size: images.sourceSize, placeholder: images.isPlaceholder,
                                    sourceSize: images.sourceSize)
        try AtomicFile.write(try SiteJSON.encode(largest), to: folder.appendingPathComponent("photo.json"))
    }

    /// Writes `users.json` with every entry, sorted by id so the same directory gives the same bytes.
    public func writeIndex(_ entries: [UserEntry]) throws(SiteError) {
        let document = UsersDocument(sizes: sizes.map(\.description), value: entries.sorted { $0.id < $1.id })
        try AtomicFile.write(try SiteJSON.encode(document), to: root.appendingPathComponent("users.json"))
    }

    public func writeReport(_ report: BuildReport) throws(SiteError) {
        try AtomicFile.write(try SiteJSON.encode(report), to: root.appendingPathComponent("build-report.json"))
    }
}
