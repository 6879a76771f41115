public import Foundation
public import AvatarSiteContract
public import AvatarSiteImaging

/// Writes one user's folder of the output contract: every size, its metadata, `photos.json`,
/// `photo.jpg` and `photo.json` (last, so a complete folder is one that has it).
public enum UserFiles {
    public struct Written: Sendable {
        /// SHA-256 of `photos.json`, which holds the hash of every image: a digest of the folder.
        public var digest: String
        /// The files written, relative to the folder, in the order they were written.
        public var paths: [String]
        public var files: Int { paths.count }

        public init(digest: String, paths: [String]) {
            self.digest = digest
            self.paths = paths
        }
    }

    /// Writes the folder: every size as JPEG (and WebP, and PNG for circles), its metadata,
    /// `photos.json`, `photo.jpg`, `photo.json`. The folder is a staging folder that nobody reads
    /// until it is swapped in whole, so the files are written in place: a temporary file and a
    /// rename for each would double the file system's work (a profile showed ext4's inode
    /// allocation at a fifth of a cold build's CPU).
    @discardableResult
    public static func write(_ images: AvatarImages, sizes: [PhotoSize], provisional: Bool = false,
                             to folder: URL) throws(SiteError) -> Written {
        var documents = [PhotoDocument]()
        var paths = [String]()
        try FileManager.default.createDirectoryIfMissing(folder)
        let open = try OpenFolder(folder)
        try open.makeFolder("photos")
        func put(_ data: Data, _ path: String) throws(SiteError) {
            try open.write(data, to: path)
            paths.append(path)
        }
        for size in sizes {
            guard let image = images.bySize[size] else {
                throw SiteError(path: folder.appendingPathComponent("photos").path, reason: "no image was made at \(size)")
            }
            try put(image.jpeg, "photos/\(size).jpg")
            if let webp = image.webp { try put(webp, "photos/\(size).webp") }
            if let png = image.png { try put(png, "photos/\(size).png") }
            let document = PhotoDocument(image: image.jpeg, size: size, placeholder: images.isPlaceholder,
                                         provisional: provisional, sourceSize: images.sourceSize)
            try put(document.jsonData, "photos/\(size).json")
            documents.append(document)
        }
        let collection = PhotoCollectionDocument(value: documents).jsonData
        try put(collection, "photos.json")
        try put(images.largest.jpeg, "photo.jpg")
        if let webp = images.largest.webp { try put(webp, "photo.webp") }
        if let png = images.largest.png { try put(png, "photo.png") }
        // The largest is most often one of the sizes, whose bytes were hashed already.
        let same = images.bySize[images.sourceSize]?.jpeg == images.largest.jpeg
            ? documents.first { $0.id == images.sourceSize.profilePhotoID }?.mediaEtag : nil
        let largest = PhotoDocument(image: images.largest.jpeg, etag: same, size: images.sourceSize,
                                    placeholder: images.isPlaceholder, provisional: provisional, sourceSize: images.sourceSize)
        try put(largest.jsonData, "photo.json")
        return Written(digest: MediaETag.hexDigest(collection), paths: paths)
    }
}
