import Foundation
import Logging

/// What became of one user in a build.
enum UserOutcome: Sendable {
    /// New files are staged for the user.
    case staged(UserEntry, noMailbox: Bool, failures: [UserFailure])
    /// The photo could not be refreshed: the published files stay as they are.
    case kept(UserEntry, failures: [UserFailure])
    /// Nothing can be published for the user (an unsafe id, or nothing could be drawn).
    case skipped([UserFailure])
}

/// Builds one user: photo metadata, the photo, every size (or a placeholder), staged on disk.
struct UserBuilder<Source: DirectorySource>: Sendable {
    let source: Source
    let photos: PhotoRenderer
    let placeholders: PlaceholderRenderer
    let layout: SiteLayout
    let sizes: [PhotoSize]
    let publicFields: Set<String>
    let previous: PublishedSite
    let workers: CPUWorkers
    let logger: Logger

    /// A photo that arrives damaged is downloaded up to this many times in all: on a flaky
    /// network the next copy is usually whole.
    var downloadsOfADamagedPhoto: Int { 3 }

    /// Throws only what must stop the whole build (authentication).
    func build(_ user: DirectoryUser) async throws(SourceError) -> UserOutcome {
        if let problem = PathSegment.problem(with: user.id) {
            logger.warning("skipping a user whose id is unsafe", metadata: ["reason": "\(problem)"])
            return .skipped([UserFailure(id: user.id, stage: .id, kind: "unsafe_id", message: problem)])
        }
        var failures = [UserFailure]()
        var noMailbox = false
        var images: AvatarImages?
        var stage = UserFailure.Stage.metadata
        do {
            if try await source.photoMetadata(userID: user.id) != nil {
                stage = .download
                switch try await fetchPhoto(user.id) {
                case .success(let rendered): images = rendered
                case .failure(let error): failures.append(UserFailure(id: user.id, stage: .image, error))
                }
            }
        } catch {
            switch error.kind {
            case .authentication: throw error
            case .noMailbox: noMailbox = true
            default: failures.append(UserFailure(id: user.id, stage: stage, error))
            }
        }

        let fields = user.fields.filter { publicFields.contains($0.key) }
        let photoFailed = !failures.isEmpty
        if photoFailed, let published = previous.entries[user.id] {
            // Never replace a last good photo (or placeholder) because of a bad night.
            for failure in failures { log(failure, kept: true) }
            return .kept(UserEntry(id: user.id, fields: fields, placeholder: published.placeholder), failures: failures)
        }

        let initials = Initials.of(user)
        let folder = layout.stagedUserFolder(user.id)
        let (placeholders, sizes, photo) = (self.placeholders, self.sizes, images)
        let written = try await cpu { () -> Result<Bool, UserFailure> in
            do throws(ImagingError) {
                let final: AvatarImages
                if let photo {
                    final = photo
                } else {
                    final = try placeholders.render(initials: initials, userID: user.id)
                }
                do throws(SiteError) {
                    try UserFiles.write(final, sizes: sizes, provisional: photoFailed, to: folder)
                } catch {
                    return .failure(UserFailure(id: user.id, stage: .write, kind: "write", message: error.localizedDescription))
                }
                return .success(final.isPlaceholder)
            } catch {
                return .failure(UserFailure(id: user.id, stage: .placeholder, error))
            }
        }
        for failure in failures { log(failure, kept: false) }
        switch written {
        case .success(let isPlaceholder):
            return .staged(UserEntry(id: user.id, fields: fields, placeholder: isPlaceholder), noMailbox: noMailbox,
                           failures: failures)
        case .failure(let failure):
            log(failure, kept: false)
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

    private func log(_ failure: UserFailure, kept: Bool) {
        logger.notice("user failed", metadata: [
            "user": "\(failure.id)", "stage": "\(failure.stage.rawValue)", "kind": "\(failure.kind)",
            "code": "\(failure.code ?? "-")", "message": "\(failure.message)",
            "result": "\(kept ? "kept the last good files" : "placeholder")",
        ])
    }
}
