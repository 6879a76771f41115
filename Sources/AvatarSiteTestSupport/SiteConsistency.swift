public import Foundation
import AvatarSite
public import AvatarSiteContract

/// The invariant a site must keep at every instant, killed builds included: every user that
/// `users.json` lists has every file of the layout, and every image decodes at its size.
public enum SiteConsistency {
    public struct Violation: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks on a thread of its own: decoding a site is long CPU work for the cooperative pool.
    public static func check(_ root: URL, sizes: [PhotoSize] = PhotoSize.graphSizes) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try checkBlocking(root, sizes: sizes) }) }
        }
    }

    static func checkBlocking(_ root: URL, sizes: [PhotoSize]) throws {
        let index = root.appendingPathComponent("users.json")
        guard FileManager.default.fileExists(atPath: index.path) else { return }
        let document: UsersDocument
        do {
            document = try JSONDecoder().decode(UsersDocument.self, from: Data(contentsOf: index))
        } catch {
            throw Violation(description: "users.json does not parse: \(error)")
        }
        for entry in document.value {
            let folder = root.appendingPathComponent("users/\(entry.id)")
            let photo = try read(folder.appendingPathComponent("photo.json"))
            let metadata = try JSONDecoder().decode(PhotoDocument.self, from: photo)
            guard (metadata.placeholder ?? false) == entry.placeholder else {
                throw Violation(description: "\(entry.id): users.json and photo.json disagree on the placeholder")
            }
            guard TestImages.decodedSize(try read(folder.appendingPathComponent("photo.jpg"))) != nil else {
                throw Violation(description: "\(entry.id)/photo.jpg does not decode")
            }
            _ = try read(folder.appendingPathComponent("photos.json"))
            for size in sizes {
                _ = try read(folder.appendingPathComponent("photos/\(size).json"))
                let decoded = TestImages.decodedSize(try read(folder.appendingPathComponent("photos/\(size).jpg")))
                guard decoded?.width == size.width, decoded?.height == size.height else {
                    throw Violation(description: "\(entry.id)/photos/\(size).jpg does not decode at its size")
                }
            }
        }
    }

    private static func read(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw Violation(description: "\(url.path) is missing")
        }
    }
}
