@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing

@Suite struct FileWriterTests {
    /// A rewrite with fewer bytes must not leave the old file's tail behind.
    @Test func replacesTheWholeFile() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("photo.json")
            try FileWriter.write(Data(String(repeating: "x", count: 5000).utf8), to: file)
            try FileWriter.write(Data("{}".utf8), to: file)
            #expect(try Data(contentsOf: file) == Data("{}".utf8))
            // Readable and writable by the owner, writable by nobody else (whatever the umask adds).
            let mode = try #require(FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
            #expect(mode & 0o600 == 0o600 && mode & 0o022 == 0)
            try FileWriter.flushFileSystem(containing: folder)
        }
    }

    @Test func namesThePathItCannotWrite() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("missing/photo.jpg")
            #expect {
                try FileWriter.write(Data([1, 2, 3]), to: file)
            } throws: { error in
                (error as? SiteError)?.path == file.path && "\(error.localizedDescription)".contains("No such file")
            }
            #expect(throws: SiteError.self) { try FileWriter.flushFileSystem(containing: folder.appendingPathComponent("missing")) }
        }
    }
}

/// A folder opened once and written by names relative to it.
@Suite struct OpenFolderTests {
    /// Should write into subfolders it made, link a file from another folder, and make a folder
    /// twice without complaint.
    @Test func writesMakesAndLinks() async throws {
        try await withTemporaryDirectory { root in
            let (look, user) = (root.appendingPathComponent("look"), root.appendingPathComponent("user"))
            for folder in [look, user] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
            let source = try OpenFolder(look), target = try OpenFolder(user)
            try source.makeFolder("photos")
            try source.makeFolder("photos")
            try source.write(Data("48".utf8), to: "photos/48x48.jpg")
            try target.makeFolder("photos")
            #expect(target.link("photos/48x48.jpg", from: source) == 0)
            #expect(try Data(contentsOf: user.appendingPathComponent("photos/48x48.jpg")) == Data("48".utf8))
            let links = try FileManager.default.attributesOfItem(atPath: user.appendingPathComponent("photos/48x48.jpg").path)
            #expect(links[.referenceCount] as? Int == 2)
            #expect(target.link("photos/48x48.jpg", from: source) == EEXIST)
            // A folder made here has the mode Foundation would give it (0777 less the umask).
            try FileManager.default.createDirectory(at: root.appendingPathComponent("by-foundation"), withIntermediateDirectories: true)
            let mode = { (name: String) in
                try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(name).path)[.posixPermissions] as? Int
            }
            #expect(try mode("look/photos") == mode("by-foundation"))
            try FileManager.default.createDirectoryIfMissing(root.appendingPathComponent("by-mkdir"))
            #expect(try mode("by-mkdir") == mode("by-foundation"))
        }
    }

    /// Should refuse to write through a link planted where a file goes, or to open a link as
    /// the folder, naming the path.
    @Test func refusesLinks() async throws {
        try await withTemporaryDirectory { root in
            let outside = root.appendingPathComponent("outside.txt")
            try Data("keep me".utf8).write(to: outside)
            let user = root.appendingPathComponent("user")
            try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: user.appendingPathComponent("photo.jpg"), withDestinationURL: outside)
            let folder = try OpenFolder(user)
            #expect {
                try folder.write(Data([1]), to: "photo.jpg")
            } throws: { error in
                (error as? SiteError)?.path == user.path + "/photo.jpg"
            }
            #expect(try Data(contentsOf: outside) == Data("keep me".utf8))
            let linked = root.appendingPathComponent("linked")
            try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: user)
            #expect(throws: SiteError.self) { _ = try OpenFolder(linked) }
        }
    }
}
