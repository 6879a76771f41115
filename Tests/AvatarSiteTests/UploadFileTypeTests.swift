@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Synchronization
import Testing

/// `avatar-site upload` and what is in the folder but is no regular file: links, FIFOs. Each is
/// refused `not_a_file` before a byte of it is read, and nothing is sent for it.
@Suite struct UploadFileTypeTests {
    /// A sparse file of `size` bytes: costs no disk, reads as zeros.
    static func sparseFile(_ url: URL, size: Int) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        #expect(ftruncate(descriptor, off_t(size)) == 0)
    }

    /// Uploads `photos` (a folder inside `folder`) to a fresh demo tenant.
    static func upload(_ folder: URL) async throws -> (UploadReport, DemoTenant) {
        let demo = UploadTests.demo()
        let tenant = DemoTenant(configuration: demo)
        let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
            try await UploadTests.upload(folder, to: running, demo: demo)
        }
        return (report, tenant)
    }

    static func reasons(_ report: UploadReport) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: report.files.filter { $0.result == .refused }.map { ($0.file, $0.reason) })
    }

    /// Should refuse a link to a 100 MB file as `not_a_file` without reading it, and send the
    /// rest of the folder.
    @Test func aLinkToAHugeFileIsRefusedUnread() async throws {
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            let huge = folder.appendingPathComponent("huge.jpg")
            try Self.sparseFile(huge, size: 100 * 1024 * 1024)
            try FileManager.default.createSymbolicLink(at: photos.appendingPathComponent("una@contoso.example.jpg"),
                                                       withDestinationURL: huge)
            try UploadTests.validJPEG.write(to: photos.appendingPathComponent("mae.mail@contoso.example.jpg"))
            let (report, tenant) = try await Self.upload(folder)
            #expect(Self.reasons(report) == ["una@contoso.example.jpg": "not_a_file"], "\(report.files)")
            #expect(report.counts.uploaded == 1 && report.exitCode == 1)
            #expect(tenant.uploadedPhoto(of: "una-id") == nil)
            #expect(tenant.uploadedPhoto(of: "mae-id") == UploadTests.validJPEG)
        }
    }

    /// Should refuse a link even to a good photo: a link can point anywhere.
    @Test func aLinkToAGoodPhotoIsRefused() async throws {
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            let good = folder.appendingPathComponent("good.jpg")
            try UploadTests.validJPEG.write(to: good)
            try FileManager.default.createSymbolicLink(at: photos.appendingPathComponent("una@contoso.example.jpg"),
                                                       withDestinationURL: good)
            let (report, tenant) = try await Self.upload(folder)
            #expect(Self.reasons(report) == ["una@contoso.example.jpg": "not_a_file"], "\(report.files)")
            #expect(report.counts.uploaded == 0)
            #expect(tenant.uploadedPhoto(of: "una-id") == nil)
            #expect(tenant.requestsByRoute["photo_put"] == nil, "\(tenant.requestsByRoute)")
        }
    }

    /// Should refuse a FIFO as `not_a_file` at once, never waiting for a writer. A watchdog
    /// plays the writer after a while, so a reader that blocks fails this test instead of hanging it.
    @Test func aFIFOIsRefusedWithoutBlocking() async throws {
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            let fifo = photos.appendingPathComponent("una@contoso.example.jpg")
            #expect(mkfifo(fifo.path, 0o644) == 0)
            let watchdog = FIFOWatchdog(path: fifo.path, after: .seconds(10))
            // Stopped however the test ends, so its thread never outlives it.
            defer { _ = watchdog.stop() }
            let (report, tenant) = try await Self.upload(folder)
            #expect(!watchdog.stop(), "the upload waited for a writer to the FIFO")
            #expect(Self.reasons(report) == ["una@contoso.example.jpg": "not_a_file"], "\(report.files)")
            #expect(tenant.requestsByRoute.isEmpty, "\(tenant.requestsByRoute)")
        }
    }

    /// Should refuse a regular file over the limit by its size, as before.
    @Test func aFileOverTheLimitIsRefusedUnread() async throws {
        try await withTemporaryDirectory { folder in
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            try Self.sparseFile(photos.appendingPathComponent("una@contoso.example.jpg"), size: 100 * 1024 * 1024)
            let (report, tenant) = try await Self.upload(folder)
            #expect(Self.reasons(report) == ["una@contoso.example.jpg": "too_large"], "\(report.files)")
            #expect(report.files.first?.message?.contains("not read") == true, "\(report.files)")
            #expect(tenant.requestsByRoute.isEmpty, "\(tenant.requestsByRoute)")
        }
    }

    /// Should read no more than one byte past the limit of a file whose size says less than it
    /// holds (the kernel's files say 0), and refuse a folder, a link and a FIFO unread.
    @Test func readsNoFurtherThanTheLimit() async throws {
        #expect(throws: RegularFileReader.Refusal.tooLarge(size: nil)) {
            try RegularFileReader.read(URL(fileURLWithPath: "/proc/self/status"), limit: 16)
        }
        #expect(try RegularFileReader.read(URL(fileURLWithPath: "/proc/self/status"), limit: 1 << 20).count > 16)
        try await withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("a.jpg")
            try Data(count: 100).write(to: file)
            #expect(try RegularFileReader.read(file, limit: 100).count == 100)
            #expect(throws: RegularFileReader.Refusal.tooLarge(size: 100)) { try RegularFileReader.read(file, limit: 99) }
            let link = folder.appendingPathComponent("link.jpg")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
            #expect(throws: RegularFileReader.Refusal.notAFile("a symbolic link")) { try RegularFileReader.read(link, limit: 100) }
            #expect(throws: RegularFileReader.Refusal.notAFile("a folder")) { try RegularFileReader.read(folder, limit: 100) }
            let fifo = folder.appendingPathComponent("fifo.jpg")
            #expect(mkfifo(fifo.path, 0o644) == 0)
            #expect(throws: RegularFileReader.Refusal.notAFile("a FIFO")) { try RegularFileReader.read(fifo, limit: 100) }
        }
    }
}

/// Opens a FIFO for writing, and closes it, once a second after a delay, on a thread of its
/// own: a reader blocked in `open(2)` on the FIFO is let go (it reads an empty file).
final class FIFOWatchdog: Sendable {
    private let stopped = Atomic(false)
    private let released = Atomic(false)

    init(path: String, after delay: Duration) {
        let thread = Thread { [self] in
            let deadline = ContinuousClock.now + delay
            while !stopped.load(ordering: .acquiring) {
                if ContinuousClock.now >= deadline {
                    let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                    if descriptor >= 0 {
                        released.store(true, ordering: .releasing)
                        close(descriptor)
                    }
                }
                usleep(100_000)
            }
        }
        thread.start()
    }

    /// Stops the watchdog; whether it had to let a reader go.
    func stop() -> Bool {
        stopped.store(true, ordering: .releasing)
        return released.load(ordering: .acquiring)
    }
}
