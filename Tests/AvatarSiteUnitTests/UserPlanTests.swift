@testable import AvatarSite
import Foundation
import Testing
@testable import AvatarSiteSources

/// The per-user decisions, branch by branch, with no server and no files.
@Suite struct UserPlanTests {
    static let fingerprints = SettingsFingerprints(photo: "photo-settings", placeholder: "placeholder-settings")
    static let user = DirectoryUser(id: "user-1", displayName: "Jane Doe", mail: "jane@contoso.example")

    static func photoRecord(etag: String? = "\"v1\"", provisional: Bool = false, settings: String = "photo-settings")
        -> StateFile.UserRecord {
        StateFile.UserRecord(photoETag: etag, sourceSize: "648X648", initials: nil, placeholder: false, provisional: provisional,
                              filesDigest: "digest", settings: settings)
    }

    static func placeholderRecord(initials: String = "JD", provisional: Bool = false, settings: String = "placeholder-settings")
        -> StateFile.UserRecord {
        StateFile.UserRecord(photoETag: nil, sourceSize: "648X648", initials: initials, placeholder: true,
                              provisional: provisional, filesDigest: "digest", settings: settings)
    }

    static func published(_ record: StateFile.UserRecord?, placeholder: Bool = false, intact: Bool = true,
                          keepable: Bool? = nil) -> PublishedUser {
        PublishedUser(placeholder: placeholder, record: record, filesIntact: intact, filesKeepable: keepable ?? intact)
    }

    static func request(_ published: PublishedUser, user: DirectoryUser = user) -> UserPlan.Request {
        UserPlan.request(for: user, published: published, fingerprints: fingerprints)
    }

    static func decide(_ answer: Result<PhotoAnswer, SourceError>, asked: String? = nil, initials: String = "JD",
                       _ published: PublishedUser) -> UserPlan.Decision {
        UserPlan.decide(answer, for: user, askedETag: asked, initials: initials, published: published, fingerprints: fingerprints)
    }

    // MARK: - Before the request

    /// Should skip a user whose id cannot be a folder name, and ask nothing for them.
    @Test func skipsAnUnsafeID() {
        guard case .skip(let failure) = Self.request(.none, user: DirectoryUser(id: "../etc")) else {
            Issue.record("an unsafe id was asked for")
            return
        }
        #expect(failure.kind == "unsafe_id" && failure.stage == .id)
    }

    /// Should send the recorded ETag exactly when the published photo files can be kept.
    @Test func sendsTheKnownETagOnlyForIntactPhotoFiles() {
        #expect(Self.request(Self.published(Self.photoRecord())) == .ask(knownETag: "\"v1\""))
        #expect(Self.request(.none) == .ask(knownETag: nil))
        #expect(Self.request(Self.published(Self.photoRecord(), intact: false)) == .ask(knownETag: nil))
        #expect(Self.request(Self.published(Self.photoRecord(provisional: true))) == .ask(knownETag: nil))
        #expect(Self.request(Self.published(Self.photoRecord(settings: "other"))) == .ask(knownETag: nil))
        #expect(Self.request(Self.published(Self.photoRecord(etag: ""))) == .ask(knownETag: nil))
        #expect(Self.request(Self.published(Self.photoRecord(etag: nil))) == .ask(knownETag: nil))
        #expect(Self.request(Self.published(Self.placeholderRecord(), placeholder: true)) == .ask(knownETag: nil))
    }

    // MARK: - After the answer

    /// Should leave a photo user alone when the source says their photo did not change.
    @Test func notModifiedIsUnchanged() {
        let published = Self.published(Self.photoRecord())
        #expect(Self.decide(.success(.notModified), asked: "\"v1\"", published) == .unchanged(Self.photoRecord()))
    }

    /// Should leave a photo alone when a server that ignores If-None-Match sends the very photo held.
    @Test func theSamePhotoAgainIsUnchanged() {
        let bytes = PhotoBytes(data: Data([0xFF, 0xD8]), claimedContentType: nil)
        #expect(Self.decide(.success(.photo(bytes, etag: "\"v1\"")), asked: "\"v1\"", Self.published(Self.photoRecord()))
            == .unchanged(Self.photoRecord()))
    }

    /// Should not believe "not modified" for a request that carried no ETag: a photo must come.
    @Test func notModifiedWithoutAnETagIsAFailure() {
        guard case .keep(let failures) = Self.decide(.success(.notModified), asked: nil, Self.published(Self.photoRecord())) else {
            Issue.record("a bogus 'not modified' was believed")
            return
        }
        #expect(failures.first?.kind == "invalid_response")
        guard case .drawPlaceholder(true, false, _) = Self.decide(.success(.notModified), asked: nil, .none) else {
            Issue.record("a new user got nothing")
            return
        }
    }

    /// Should render a photo that arrived, with its ETag.
    @Test func aPhotoIsRendered() {
        let bytes = PhotoBytes(data: Data([0xFF, 0xD8]), claimedContentType: "image/jpeg")
        #expect(Self.decide(.success(.photo(bytes, etag: "\"v2\"")), asked: "\"v1\"", Self.published(Self.photoRecord()))
            == .render(bytes, etag: "\"v2\""))
    }

    /// Should keep a placeholder whose initials and settings are those published, and draw it otherwise.
    @Test func noPhotoKeepsOrDrawsThePlaceholder() {
        let same = Self.published(Self.placeholderRecord(), placeholder: true)
        #expect(Self.decide(.success(.noPhoto), same) == .unchanged(Self.placeholderRecord()))
        let drawn = UserPlan.Decision.drawPlaceholder(provisional: false, noMailbox: false, failures: [])
        #expect(Self.decide(.success(.noPhoto), initials: "JS", same) == drawn)
        #expect(Self.decide(.success(.noPhoto), Self.published(Self.placeholderRecord(provisional: true), placeholder: true)) == drawn)
        #expect(Self.decide(.success(.noPhoto), Self.published(Self.placeholderRecord(settings: "x"), placeholder: true)) == drawn)
        #expect(Self.decide(.success(.noPhoto), Self.published(Self.placeholderRecord(), placeholder: true, intact: false)) == drawn)
        // A photo user whose photo was removed gets a placeholder.
        #expect(Self.decide(.success(.noPhoto), Self.published(Self.photoRecord())) == drawn)
        #expect(Self.decide(.success(.noPhoto), .none) == drawn)
    }

    /// Should give a user without a mailbox a placeholder, counted as such, not a failure.
    @Test func noMailboxIsAPlaceholder() {
        let error = SourceError(.noMailbox, url: "", status: 404, code: "MailboxNotEnabledForRESTAPI", message: "")
        #expect(Self.decide(.failure(error), .none) == .drawPlaceholder(provisional: false, noMailbox: true, failures: []))
        var record = Self.placeholderRecord()
        record.noMailbox = true
        #expect(Self.decide(.failure(error), Self.published(record, placeholder: true)) == .unchanged(record))
    }

    /// Should keep the last good files of a published user whose photo failed, and give a new
    /// user a provisional placeholder.
    @Test func aFailureKeepsWhatIsPublished() {
        let error = SourceError(.transient, url: "", status: 503, code: "ServiceNotAvailable", message: "busy",
                                request: .photoBytes)
        guard case .keep(let failures) = Self.decide(.failure(error), Self.published(Self.photoRecord())) else {
            Issue.record("the last good files were not kept")
            return
        }
        #expect(failures.map(\.stage) == [.download] && failures.first?.code == "ServiceNotAvailable")
        // Published without a usable record (a lost state, --full), files whole: still kept.
        guard case .keep = Self.decide(.failure(error), Self.published(nil, intact: false, keepable: true)) else {
            Issue.record("a published user without a record was not kept")
            return
        }
        // Files that cannot stand (damaged by hand, or without a size now configured): a provisional placeholder.
        guard case .drawPlaceholder(true, false, _) = Self.decide(.failure(error), Self.published(Self.photoRecord(), intact: false)) else {
            Issue.record("damaged files were kept through a failure")
            return
        }
        guard case .drawPlaceholder(true, false, let provisional) = Self.decide(.failure(error), .none) else {
            Issue.record("a new user with a failed photo got no provisional placeholder")
            return
        }
        #expect(provisional.count == 1)
    }

    /// Should say which request failed: metadata or download.
    @Test func failuresNameTheirStage() {
        let metadata = SourceError(.permanent, url: "", status: 403, message: "", request: .photoMetadata)
        guard case .keep(let failures) = Self.decide(.failure(metadata), Self.published(Self.photoRecord())) else {
            Issue.record("the last good files were not kept")
            return
        }
        #expect(failures.first?.stage == .metadata)
    }

    /// Should keep what is published when nothing can be written, and skip a user who has nothing.
    @Test func unwritableUsersAreKeptOrSkipped() {
        let failure = UserFailure(id: "user-1", stage: .write, kind: "write", message: "disk full")
        #expect(UserPlan.unwritable([failure], published: Self.published(Self.photoRecord())) == .keep(failures: [failure]))
        #expect(UserPlan.unwritable([failure], published: .none) == .skip(failures: [failure]))
        #expect(UserPlan.unwritable([failure], published: Self.published(Self.photoRecord(), intact: false)) == .skip(failures: [failure]))
    }
}
