import Foundation
import Logging

/// What became of one user in a build.
enum UserOutcome: Sendable {
    /// Nothing changed since the last publish: no download, no rendering, no file touched.
    case unchanged(UserEntry, BuildState.UserRecord)
    /// New files are staged for the user.
    case staged(UserEntry, BuildState.UserRecord, files: Int, noMailbox: Bool, failures: [UserFailure])
    /// The photo could not be refreshed: the published files stay as they are.
    case kept(UserEntry, BuildState.UserRecord?, failures: [UserFailure])
    /// Nothing can be published for the user (an unsafe id, or nothing could be drawn).
    case skipped([UserFailure])
}

/// Builds users a batch at a time: their photo metadata in one request, then for each user
/// either nothing (unchanged since the last publish), or the photo downloaded and every size
/// rendered, or a placeholder drawn, staged on disk for the publish.
struct UserBuilder<Source: DirectorySource>: Sendable {
    let source: Source
    let photos: PhotoRenderer
    let placeholderLooks: PlaceholderLooks
    let layout: SiteLayout
    let sizes: [PhotoSize]
    let publicFields: Set<String>
    let published: PublishedSite
    let state: BuildState
    let fingerprints: SettingsFingerprints
    /// Build every user again, whatever the state says.
    let full: Bool
    let workers: CPUWorkers
    let logger: Logger

    /// A photo that arrives damaged is downloaded up to this many times in all: on a flaky
    /// network the next copy is usually whole.
    var downloadsOfADamagedPhoto: Int { 3 }

    /// Throws only what must stop the whole build (authentication).
    func build(_ users: [DirectoryUser]) async throws(SourceError) -> [UserOutcome] {
        var outcomes = [UserOutcome]()
        var safe = [DirectoryUser]()
        for user in users {
            if let problem = PathSegment.problem(with: user.id) {
                logger.warning("skipping a user whose id is unsafe", metadata: ["reason": "\(problem)"])
                outcomes.append(.skipped([UserFailure(id: user.id, stage: .id, kind: "unsafe_id", message: problem)]))
            } else {
                safe.append(user)
            }
        }
        guard !safe.isEmpty else { return outcomes }
        let metadata = try await source.photoMetadata(userIDs: safe.map(\.id))
        for user in safe {
            let answer = metadata[user.id] ?? .failure(SourceError(.invalidResponse, url: "", message: "no answer for the user"))
            outcomes.append(try await build(user, metadata: answer))
        }
        return outcomes
    }

    private func build(_ user: DirectoryUser, metadata: Result<PhotoMetadata?, SourceError>) async throws(SourceError)
        -> UserOutcome {
        let entry = UserEntry(id: user.id, fields: user.fields.filter { publicFields.contains($0.key) }, placeholder: false)
        let initials = Initials.of(user)
        let record = !published.contains(user.id) || full ? nil : state.users[user.id]
        var failures = [UserFailure]()
        var noMailbox = false

        switch metadata {
        case .success(let photo?):
            if let record, !record.provisional, !record.placeholder, let etag = photo.mediaEtag, !etag.isEmpty,
               record.photoETag == etag, record.settings == fingerprints.photo, filesIntact(user.id, record) {
                return .unchanged(entry.with(placeholder: false), record)
            }
            do {
                switch try await fetchPhoto(user.id) {
                case .success(let images):
                    return try await stage(user, entry: entry, images: images, photoETag: photo.mediaEtag, initials: initials,
                                           noMailbox: false, failures: [])
                case .failure(let error):
                    failures.append(UserFailure(id: user.id, stage: .image, error))
                }
            } catch {
                if error.kind == .authentication { throw error }
                failures.append(UserFailure(id: user.id, stage: .download, error))
            }
        case .success(nil):
            break
        case .failure(let error) where error.kind == .noMailbox:
            noMailbox = true
        case .failure(let error):
            if error.kind == .authentication { throw error }
            failures.append(UserFailure(id: user.id, stage: .metadata, error))
        }

        if !failures.isEmpty, let kept = keep(user, entry: entry, failures: failures) {
            return kept
        }
        if failures.isEmpty, let record, record.placeholder, !record.provisional, record.initials == initials,
           record.settings == fingerprints.placeholder, filesIntact(user.id, record) {
            return .unchanged(entry.with(placeholder: true), record)
        }
        for failure in failures { log(failure, result: "provisional placeholder") }
        let (looks, folder, provisional) = (placeholderLooks, layout.stagedUserFolder(user.id), !failures.isEmpty)
        let written = try await cpu { () -> Result<UserFiles.Written, PlaceholderError> in
            do throws(PlaceholderError) {
                return .success(try looks.write(initials: initials, userID: user.id, provisional: provisional, to: folder))
            } catch {
                return .failure(error)
            }
        }
        switch written {
        case .success(let written):
            let record = BuildState.UserRecord(
                photoETag: nil, sourceSize: (sizes.max() ?? PhotoSize(side: 648)).graphID, initials: initials,
                placeholder: true, provisional: provisional, filesDigest: written.digest, settings: fingerprints.placeholder)
            return .staged(entry.with(placeholder: true), record, files: written.files, noMailbox: noMailbox, failures: failures)
        case .failure(let error):
            let failure = switch error {
            case .imaging(let error): UserFailure(id: user.id, stage: .placeholder, error)
            case .site(let error): UserFailure(id: user.id, stage: .write, kind: "write", message: error.localizedDescription)
            }
            if let kept = keep(user, entry: entry, failures: failures + [failure]) { return kept }
            log(failure, result: "skipped")
            return .skipped(failures + [failure])
        }
    }

    /// Keeps a published user's files as they are, when this build could not make new ones:
    /// a bad night (or a full disk) must never take a user's last good photo away.
    private func keep(_ user: DirectoryUser, entry: UserEntry, failures: [UserFailure]) -> UserOutcome? {
        guard let placeholder = published.placeholders[user.id] else { return nil }
        for failure in failures { log(failure, result: "kept the last good files") }
        return .kept(entry.with(placeholder: placeholder), state.users[user.id], failures: failures)
    }

    /// Whether the published files are still those the record describes: a folder deleted or
    /// edited by hand is made again rather than trusted.
    private func filesIntact(_ id: String, _ record: BuildState.UserRecord) -> Bool {
        guard let collection = try? Data(contentsOf: layout.userFolder(id).appendingPathComponent("photos.json")) else {
            return false
        }
        return MediaETag.hexDigest(collection) == record.filesDigest
    }

    /// Writes the user's files into the staging folder.
    private func stage(_ user: DirectoryUser, entry: UserEntry, images: AvatarImages, photoETag: String?, initials: String,
                       noMailbox: Bool, failures: [UserFailure]) async throws(SourceError) -> UserOutcome {
        let folder = layout.stagedUserFolder(user.id)
        let (sizes, provisional) = (self.sizes, !failures.isEmpty)
        let written = try await cpu { () -> Result<UserFiles.Written, SiteError> in
            do throws(SiteError) {
                return .success(try UserFiles.write(images, sizes: sizes, provisional: provisional, to: folder))
            } catch {
                return .failure(error)
            }
        }
        switch written {
        case .success(let written):
            let record = BuildState.UserRecord(
                photoETag: images.isPlaceholder ? nil : photoETag, sourceSize: images.sourceSize.graphID,
                initials: images.isPlaceholder ? initials : nil, placeholder: images.isPlaceholder,
                provisional: provisional, filesDigest: written.digest,
                settings: images.isPlaceholder ? fingerprints.placeholder : fingerprints.photo)
            return .staged(entry.with(placeholder: images.isPlaceholder), record, files: written.files, noMailbox: noMailbox,
                           failures: failures)
        case .failure(let error):
            let failure = UserFailure(id: user.id, stage: .write, kind: "write", message: error.localizedDescription)
            if let kept = keep(user, entry: entry, failures: failures + [failure]) { return kept }
            log(failure, result: "skipped")
            return .skipped(failures + [failure])
        }
    }

    /// Downloads and renders the photo, downloading again when it arrives damaged.
    private func fetchPhoto(_ id: String) async throws(SourceError) -> Result<AvatarImages, ImagingError> {
        var result: Result<AvatarImages, ImagingError> = .failure(ImagingError(.corrupt, "not downloaded"))
        for _ in 0..<downloadsOfADamagedPhoto {
            let bytes = try await source.photoBytes(userID: id).data
            let photos = self.photos
            result = try await cpu { () -> Result<AvatarImages, ImagingError> in
                do throws(ImagingError) { return .success(try photos.render(bytes)) } catch { return .failure(error) }
            }
            guard case .failure(let error) = result, error.kind == .corrupt else { break }
        }
        return result
    }

    /// Runs `body` on the CPU workers; a cancelled build surfaces as a source error, which is
    /// what stopped it.
    private func cpu<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(SourceError) -> T {
        do {
            return try await workers.run(body)
        } catch {
            throw SourceError(.connection, url: "", message: "the build was stopped")
        }
    }

    private func log(_ failure: UserFailure, result: String) {
        logger.notice("user failed", metadata: [
            "user": "\(failure.id)", "stage": "\(failure.stage.rawValue)", "kind": "\(failure.kind)",
            "code": "\(failure.code ?? "-")", "message": "\(failure.message)", "result": "\(result)",
        ])
    }
}

extension UserEntry {
    func with(placeholder: Bool) -> UserEntry {
        UserEntry(id: id, fields: fields, placeholder: placeholder)
    }
}
