public import Foundation

/// Writes one user's folder of the output contract: every size, its metadata, `photos.json`,
/// `photo.jpg` and `photo.json` (last, so a complete folder is one that has it).
public enum UserFiles {
    /// Writes the folder and returns the SHA-256 of its `photos.json`, which holds the hash of
    /// every image: a digest of the whole folder.
    @discardableResult
    public static func write(_ images: AvatarImages, sizes: [PhotoSize], provisional: Bool = false,
                             to folder: URL) throws(SiteError) -> String {
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
                                         provisional: provisional, sourceSize: images.sourceSize)
            try AtomicFile.write(try SiteJSON.encode(document), to: photos.appendingPathComponent("\(size).json"))
            documents.append(document)
        }
        let collection = try SiteJSON.encode(PhotoCollectionDocument(value: documents))
        try AtomicFile.write(collection, to: folder.appendingPathComponent("photos.json"))
        try AtomicFile.write(images.largest.jpeg, to: folder.appendingPathComponent("photo.jpg"))
        if let webp = images.largest.webp {
            try AtomicFile.write(webp, to: folder.appendingPathComponent("photo.webp"))
        }
        let largest = PhotoDocument(image: images.largest.jpeg, size: images.sourceSize, placeholder: images.isPlaceholder,
                                    provisional: provisional, sourceSize: images.sourceSize)
        try AtomicFile.write(try SiteJSON.encode(largest), to: folder.appendingPathComponent("photo.json"))
        return MediaETag.hexDigest(collection)
    }

    /// How many files `write` makes for one user.
    public static func count(sizes: [PhotoSize], formats: [OutputFormat]) -> Int {
        let perImage = formats.contains(.webp) ? 2 : 1
        return (sizes.count + 1) * perImage + sizes.count + 2
    }
}
