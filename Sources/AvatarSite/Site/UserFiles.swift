public import Foundation

/// Writes one user's folder of the output contract: every size, its metadata, `photos.json`,
/// `photo.jpg` and `photo.json` (last, so a complete folder is one that has it).
public enum UserFiles {
    public struct Written: Sendable {
        /// SHA-256 of `photos.json`, which holds the hash of every image: a digest of the folder.
        public var digest: String
        public var files: Int

        public init(digest: String, files: Int) {
            self.digest = digest
            self.files = files
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
        let photos = folder.appendingPathComponent("photos")
        var documents = [PhotoDocument]()
        var files = 0
        try FileManager.default.createDirectoryIfMissing(photos)
        func put(_ data: Data, _ url: URL) throws(SiteError) {
            try FileWriter.write(data, to: url)
            files += 1
        }
        for size in sizes {
            guard let image = images.bySize[size] else {
                throw SiteError(path: photos.path, reason: "no image was made at \(size)")
            }
            try put(image.jpeg, photos.appendingPathComponent("\(size).jpg"))
            if let webp = image.webp { try put(webp, photos.appendingPathComponent("\(size).webp")) }
            if let png = image.png { try put(png, photos.appendingPathComponent("\(size).png")) }
            let document = PhotoDocument(image: image.jpeg, size: size, placeholder: images.isPlaceholder,
                                         provisional: provisional, sourceSize: images.sourceSize)
            try put(try SiteJSON.encode(document), photos.appendingPathComponent("\(size).json"))
            documents.append(document)
        }
        let collection = try SiteJSON.encode(PhotoCollectionDocument(value: documents))
        try put(collection, folder.appendingPathComponent("photos.json"))
        try put(images.largest.jpeg, folder.appendingPathComponent("photo.jpg"))
        if let webp = images.largest.webp { try put(webp, folder.appendingPathComponent("photo.webp")) }
        if let png = images.largest.png { try put(png, folder.appendingPathComponent("photo.png")) }
        let largest = PhotoDocument(image: images.largest.jpeg, size: images.sourceSize, placeholder: images.isPlaceholder,
                                    provisional: provisional, sourceSize: images.sourceSize)
        try put(try SiteJSON.encode(largest), folder.appendingPathComponent("photo.json"))
        return Written(digest: MediaETag.hexDigest(collection), files: files)
    }
}
