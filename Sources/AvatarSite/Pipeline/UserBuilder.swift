import Foundation
import Logging
import AvatarSiteContract
import AvatarSiteImaging
import AvatarSiteSources

/// What became of one user in a build.
enum UserOutcome: Sendable {
    /// Nothing changed since the last publish: no download, no rendering, no file touched.
    case unchanged(UserEntry, StateFile.UserRecord)
    /// New files are staged for the user.
    case staged(UserEntry, StateFile.UserRecord, files: Int, noMailbox: Bool, failures: [UserFailure])
    /// The photo could not be refreshed: the published files stay as they are.
    case kept(UserEntry, StateFile.UserRecord?, failures: [UserFailure])
    /// Nothing can be published for the user (an unsafe id, or nothing could be drawn).
    case skipped([UserFailure])
}

/// Carries out `UserPlan`'s decisions for a batch of users: asks the source for their photos,
/// renders and stages the new ones, draws or links placeholders, and says what became of each.
struct UserBuilder: Sendable {
    let source: any DirectorySource
    let photos: PhotoRenderer
    let placeholderLooks: PlaceholderLooks
    let layout: SiteLayout
    let sizes: [PhotoSize]
    let publicFields: Set<String>
    let site: PublishedSite
    let fingerprints: SettingsFingerprints
    /// Build every user again, whatever the state says.
    let full: Bool
    let workers: CPUWorkers
    let logger: Logger

    /// Throws only what must stop the whole build (authentication).
    func build(_ users: [DirectoryUser]) async throws(SourceError) -> [UserOutcome] {
        var outcomes = [UserOutcome]()
        var asked = [(user: DirectoryUser, published: PublishedUser, knownETag: String?)]()
        var requests = [PhotoRequest]()
        for user in users {
            let published = site.published(user.id, full: full, sizes: sizes)
            switch UserPlan.request(for: user, published: published, fingerprints: fingerprints) {
            case .skip(let failure):
                logger.warning("skipping a user whose id is unsafe", metadata: ["reason": "\(failure.message)"])
                outcomes.append(.skipped([failure]))
            case .ask(let knownETag):
                asked.append((user, published, knownETag))
                requests.append(PhotoRequest(user: user, knownETag: knownETag))
            }
        }
        guard !requests.isEmpty else { return outcomes }
        let answers = try await source.photos(for: requests)
        for (user, published, knownETag) in asked {
            let answer = answers[user.id] ?? .failure(.missingAnswer(for: user.id))
            let initials = Initials.of(user)
            let decision = UserPlan.decide(answer, for: user, askedETag: knownETag, initials: initials, published: published,
                                           fingerprints: fingerprints)
            outcomes.append(try await carryOut(decision, for: user, initials: initials, published: published))
        }
        return outcomes
    }

    private func carryOut(_ decision: UserPlan.Decision, for user: DirectoryUser, initials: String,
                          published: PublishedUser) async throws(SourceError) -> UserOutcome {
        // The index entry is made once the flag it carries is known: a photo's or initials'.
        let (fields, addresses) = (user.publicFields(publicFields), UserAddresses(mail: user.mail, userPrincipalName: user.userPrincipalName))
        func entry(placeholder: Bool) -> UserEntry {
            UserEntry(id: user.id, fields: fields, placeholder: placeholder, addresses: addresses)
        }
        switch decision {
        case .unchanged(let record):
            return .unchanged(entry(placeholder: record.placeholder), record)
        case .render(let bytes, let etag):
            switch try await render(bytes, etag: etag, of: user) {
            case .success(let (images, etag)):
                return try await stage(images, of: user, entry: entry(placeholder: false), photoETag: etag, initials: initials, published: published)
            case .failure(let error):
                let failure = UserFailure(id: user.id, stage: .image, error)
                return try await carryOut(UserPlan.failed([failure], published: published), for: user, initials: initials,
                                          published: published)
            }
        case .drawPlaceholder(let provisional, let noMailbox, let failures):
            for failure in failures { log(failure, result: "provisional placeholder") }
            return try await drawPlaceholder(for: user, entry: entry(placeholder: true), initials: initials, provisional: provisional,
                                             noMailbox: noMailbox, failures: failures, published: published)
        case .keep(let failures):
            for failure in failures { log(failure, result: "kept the last good files") }
            return .kept(entry(placeholder: published.placeholder ?? false), site.state.users[user.id], failures: failures)
        case .skip(let failures):
            for failure in failures { log(failure, result: "skipped") }
            return .skipped(failures)
        }
    }

    /// Renders the photo; one that turns out damaged is downloaded again, up to
    /// `UserPlan.downloadsOfADamagedPhoto` downloads in all. Returns the images with the ETag of
    /// the copy they were made from.
    private func render(_ first: PhotoBytes, etag firstETag: String?, of user: DirectoryUser) async throws(SourceError)
        -> Result<(AvatarImages, String?), ImagingError> {
        var (bytes, etag) = (first, firstETag)
        var downloads = 1
        while true {
            let (photos, data) = (self.photos, bytes.data)
            let result = try await cpu { () -> Result<AvatarImages, ImagingError> in
                do throws(ImagingError) { return .success(try photos.render(data)) } catch { return .failure(error) }
            }
            guard case .failure(let error) = result, error.kind == .corrupt, downloads < UserPlan.downloadsOfADamagedPhoto
            else { return result.map { ($0, etag) } }
            let again = try await source.photos(for: [PhotoRequest(user: user, knownETag: nil)])[user.id]
            guard case .success(.photo(let fresh, let freshETag)) = again else { return result.map { ($0, etag) } }
            (bytes, etag) = (fresh, freshETag)
            downloads += 1
        }
    }

    /// - Parameter entry: the user's index entry, a placeholder's.
    private func drawPlaceholder(for user: DirectoryUser, entry: UserEntry, initials: String, provisional: Bool, noMailbox: Bool,
                                 failures: [UserFailure], published: PublishedUser) async throws(SourceError) -> UserOutcome {
        let (looks, folder) = (placeholderLooks, layout.stagedUserFolder(user.id))
        let written = try await cpu { () -> Result<UserFiles.Written, PlaceholderError> in
            do throws(PlaceholderError) {
                return .success(try looks.write(initials: initials, userID: user.id, provisional: provisional, to: folder))
            } catch {
                return .failure(error)
            }
        }
        switch written {
        case .success(let written):
            let record = StateFile.UserRecord(
                photoETag: nil, sourceSize: (sizes.max() ?? PhotoSize(side: 648)).profilePhotoID, initials: initials,
                placeholder: true, provisional: provisional, filesDigest: written.digest, settings: fingerprints.placeholder,
                noMailbox: noMailbox ? true : nil)
            return .staged(entry, record, files: written.files, noMailbox: noMailbox, failures: failures)
        case .failure(let error):
            let failure = switch error {
            case .imaging(let error): UserFailure(id: user.id, stage: .placeholder, error)
            case .site(let error): UserFailure(id: user.id, stage: .write, kind: "write", message: error.localizedDescription)
            }
            return try await carryOut(UserPlan.unwritable(failures + [failure], published: published), for: user,
                                      initials: initials, published: published)
        }
    }

    /// Writes the user's photo files into the staging folder; `entry` is the index entry, a photo's.
    private func stage(_ images: AvatarImages, of user: DirectoryUser, entry: UserEntry, photoETag: String?, initials: String,
                       published: PublishedUser) async throws(SourceError) -> UserOutcome {
        let (folder, sizes) = (layout.stagedUserFolder(entry.id), self.sizes)
        let written = try await cpu { () -> Result<UserFiles.Written, SiteError> in
            do throws(SiteError) {
                return .success(try UserFiles.write(images, sizes: sizes, to: folder))
            } catch {
                return .failure(error)
            }
        }
        switch written {
        case .success(let written):
            let record = StateFile.UserRecord(
                photoETag: photoETag, sourceSize: images.sourceSize.profilePhotoID, initials: nil, placeholder: false,
                provisional: false, filesDigest: written.digest, settings: fingerprints.photo)
            return .staged(entry, record, files: written.files, noMailbox: false, failures: [])
        case .failure(let error):
            let failure = UserFailure(id: entry.id, stage: .write, kind: "write", message: error.localizedDescription)
            return try await carryOut(UserPlan.unwritable([failure], published: published), for: user, initials: initials,
                                      published: published)
        }
    }

    /// Runs `body` on the CPU workers; the workers refuse work only when the build is being
    /// stopped, which is what the error then says.
    private func cpu<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(SourceError) -> T {
        do {
            return try await workers.run(body)
        } catch {
            throw SourceError.cancelled(url: "")
        }
    }

    private func log(_ failure: UserFailure, result: String) {
        logger.notice("user failed", metadata: [
            "user": "\(failure.id)", "stage": "\(failure.stage.rawValue)", "kind": "\(failure.kind)",
            "code": "\(failure.code ?? "-")", "error": "\(failure.message)", "result": "\(result)",
        ])
    }
}

extension Initials {
    static func of(_ user: DirectoryUser) -> String {
        of(givenName: user.givenName, surname: user.surname, displayName: user.displayName,
           mail: user.mail ?? user.userPrincipalName)
    }
}
