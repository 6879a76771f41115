import AvatarSiteContract
import AvatarSiteSources

/// The per-user decisions of a build, as pure functions of the user, what the site holds for
/// them and what the source answered: whether to ask for the photo and with which ETag, and
/// then whether the user is unchanged, rendered from a new photo, drawn as a placeholder,
/// kept as last published, or skipped. `UserBuilder` carries the decisions out.
enum UserPlan {
    /// What to do before any request.
    enum Request: Equatable {
        /// Nothing can be written for the user (an id that is not a safe folder name).
        case skip(UserFailure)
        /// Ask the source for the photo; it answers "not modified" when its ETag is `knownETag`.
        case ask(knownETag: String?)
    }

    /// What to do once the source has answered.
    enum Decision: Equatable {
        /// The published files stand as they are: nothing is downloaded, drawn or written. The
        /// record says whether they are a photo's or a placeholder's.
        case unchanged(StateFile.UserRecord)
        /// Render every size from this photo.
        case render(PhotoBytes, etag: String?)
        /// Draw initials. `provisional` when only a failure put them there (the next build tries
        /// again); `noMailbox` when the user has no mailbox to hold a photo.
        case drawPlaceholder(provisional: Bool, noMailbox: Bool, failures: [UserFailure])
        /// Keep the files of the last publish (whole, with every size): this build could not
        /// make better ones.
        case keep(failures: [UserFailure])
        /// Publish nothing for the user.
        case skip(failures: [UserFailure])
    }

    static func request(for user: DirectoryUser, published: PublishedUser, fingerprints: SettingsFingerprints) -> Request {
        if let problem = UserID.problem(with: user.id) {
            return .skip(UserFailure(id: user.id, stage: .id, kind: "unsafe_id", message: problem))
        }
        // The ETag is worth sending only when the files it stands for are there to keep.
        guard let record = published.record, !record.provisional, !record.placeholder, published.filesIntact,
              record.settings == fingerprints.photo, let etag = record.photoETag, !etag.isEmpty
        else { return .ask(knownETag: nil) }
        return .ask(knownETag: etag)
    }

    /// - Parameter askedETag: the ETag the request carried (`Request.ask`).
    static func decide(_ answer: Result<PhotoAnswer, SourceError>, for user: DirectoryUser, askedETag: String?,
                       initials: String, published: PublishedUser, fingerprints: SettingsFingerprints) -> Decision {
        switch answer {
        case .success(.notModified):
            guard askedETag != nil, let record = published.record else {
                let error = SourceError(.invalidResponse, url: "",
                                        message: "the source answered \"not modified\" to a request without an ETag")
                return failed([UserFailure(id: user.id, error.during(.photoBytes))], published: published)
            }
            return .unchanged(record)
        case .success(.photo(let bytes, let etag)):
            // A server that ignores If-None-Match sends the very photo the site holds.
            if MediaETag.matches(etag, known: askedETag), let record = published.record {
                return .unchanged(record)
            }
            return .render(bytes, etag: etag)
        case .success(.noPhoto):
            return placeholder(initials: initials, noMailbox: false, published: published, fingerprints: fingerprints)
        case .failure(let error) where error.kind == .noMailbox:
            return placeholder(initials: initials, noMailbox: true, published: published, fingerprints: fingerprints)
        case .failure(let error):
            return failed([UserFailure(id: user.id, error)], published: published)
        }
    }

    /// A user without a photo: unchanged when the published placeholder already shows these
    /// initials with these settings, else drawn.
    static func placeholder(initials: String, noMailbox: Bool, published: PublishedUser,
                            fingerprints: SettingsFingerprints) -> Decision {
        if let record = published.record, record.placeholder, !record.provisional, record.initials == initials,
           record.settings == fingerprints.placeholder, published.filesIntact, (record.noMailbox ?? false) == noMailbox {
            return .unchanged(record)
        }
        return .drawPlaceholder(provisional: false, noMailbox: noMailbox, failures: [])
    }

    /// The photo could not be had: a bad night never takes a user's last good files away; a
    /// user who has none that can stand (never published, a folder damaged by hand, files
    /// without a size now configured) gets a provisional placeholder.
    static func failed(_ failures: [UserFailure], published: PublishedUser) -> Decision {
        published.filesKeepable ? .keep(failures: failures) : .drawPlaceholder(provisional: true, noMailbox: false, failures: failures)
    }

    /// Nothing could be written (no placeholder drawn, a full disk): keep what is published, or
    /// leave the user out.
    static func unwritable(_ failures: [UserFailure], published: PublishedUser) -> Decision {
        published.filesKeepable ? .keep(failures: failures) : .skip(failures: failures)
    }

    /// A photo that arrives damaged is downloaded up to this many times in all: on a flaky
    /// network the next copy is usually whole.
    static let downloadsOfADamagedPhoto = 3
}
