import AvatarSite
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
