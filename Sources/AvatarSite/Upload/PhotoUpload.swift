public import Foundation
public import Logging
public import AvatarSiteContract
public import AvatarSiteSources

/// `avatar-site upload`: a folder of `{userPrincipalName | mail | id}.{jpg,jpeg,png}` files set as
/// those users' photos. Every file is checked locally first (nothing is sent for one that
/// fails); names are resolved to users; a file whose bytes were sent before, to a user whose
/// photo is still the one they became, is skipped; the rest go up, `concurrency` at a time, and
/// the state records what each became, so a run that is stopped resumes where it was.
public struct PhotoUpload: Sendable {
    public struct Options: Sendable {
        public var dryRun = false
        public var force = false
        public var fit: PhotoPreparation.Fit?
        public var progress: ProgressReporter?

        public init(dryRun: Bool = false, force: Bool = false, fit: PhotoPreparation.Fit? = nil, progress: ProgressReporter? = nil) {
            self.dryRun = dryRun
            self.force = force
            self.fit = fit
            self.progress = progress
        }
    }

    let folder: URL
    let source: any PhotoWritingSource
    let preparation: PhotoPreparation
    let concurrency: Int
    let statistics: RequestStatistics
    let options: Options
    let logger: Logger

    public init(folder: URL, source: any PhotoWritingSource, maxPixels: Int, concurrency: Int, statistics: RequestStatistics,
                options: Options, logger: Logger) {
        self.folder = folder
        self.source = source
        self.preparation = PhotoPreparation(maxPixels: maxPixels, fit: options.fit)
        self.concurrency = max(1, concurrency)
        self.statistics = statistics
        self.options = options
        self.logger = logger
    }

    /// Uploads `folder` through the source site.yml names: the HTTP client, the writer, the run.
    /// - Throws: `ConfigurationError` for a mistake in site.yml or the folder, `SourceError`
    ///   when authentication fails.
    public static func run(folder: URL, _ loaded: ConfigurationLoader.Loaded,
                           environment: [String: String] = ProcessInfo.processInfo.environment, options: Options,
                           logger: Logger) async throws -> UploadReport {
        let configuration = loaded.configuration
        let client = APIClient(source: configuration.source, logger: logger)
        return try await withCleanup({ () async throws -> UploadReport in
            let writer = try SourceFactory.makeWriter(configuration, baseDirectory: loaded.baseDirectory, environment: environment,
                                                      client: client)
            return try await PhotoUpload(folder: folder, source: writer, maxPixels: configuration.imaging.maxPixels,
                                         concurrency: configuration.source.maxConcurrency, statistics: client.statistics,
                                         options: options, logger: logger).run()
        }, cleanup: client.shutdown, what: "closing HTTP connections", logger: logger)
    }

    /// A file that passed the checks and is waiting for its user. Only what `--fit` made is
    /// held in memory; a file's own bytes are read again when they are sent, so a folder of
    /// thousands of photos costs a digest each.
    private struct Candidate {
        var file: UploadFile
        var digest: String
        var contentType: String
        var warnings: [String]
        var fitted: Data?

        init(file: UploadFile, photo: PreparedPhoto) {
            self.file = file
            digest = photo.digest
            contentType = photo.contentType
            warnings = photo.warnings
            fitted = photo.fitted ? photo.data : nil
        }

        /// The bytes to send; a file that changed since it was checked is not sent.
        func body() throws(SourceError) -> Data {
            if let fitted { return fitted }
            guard let data = try? RegularFileReader.read(file.url, limit: PhotoPreparation.maxFileBytes),
                  PhotoPreparation.digest(data) == digest else {
                throw SourceError(.invalidResponse, url: file.url.path, message: "the file changed or vanished after it was checked")
            }
            return data
        }
    }

    /// Runs the upload. Throws `SourceError` only for what stops the run (authentication), and
    /// `ConfigurationError` when the folder cannot be read.
    public func run() async throws -> UploadReport {
        var report = UploadReport()
        report.dryRun = options.dryRun
        let (files, ignored) = try UploadFolder.scan(folder)
        report.counts.ignored = ignored.count
        options.progress?.listed(files.count)
        options.progress?.listingComplete()

        var candidates = [Candidate]()
        var seenNames = Set<String>()
        for file in files {
            do {
                guard seenNames.insert(file.userName.lowercased()).inserted else {
                    throw UploadRefusal(.duplicateUser, "another file in the folder is for \(file.userName)")
                }
                let data: Data
                do {
                    data = try RegularFileReader.read(file.url, limit: PhotoPreparation.maxFileBytes)
                } catch {
                    throw UploadRefusal(error, limit: PhotoPreparation.maxFileBytes)
                }
                candidates.append(Candidate(file: file, photo: try preparation.prepare(data)))
            } catch let refusal as UploadRefusal {
                refuse(file, refusal, into: &report)
            }
        }

        let resolved = try await source.resolveUsers(candidates.map(\.file.userName))
        var ready = [(candidate: Candidate, user: DirectoryUser)]()
        var users = Set<String>()
        for candidate in candidates {
            switch resolved[candidate.file.userName] ?? .success(nil) {
            case .success(let user?) where !users.insert(user.id).inserted:
                refuse(candidate.file, UploadRefusal(.duplicateUser, "another file in the folder is for the same user"), into: &report,
                       user: user.id)
            case .success(let user?):
                ready.append((candidate, user))
            case .success(nil):
                refuse(candidate.file, UploadRefusal(.unknownUser, "the directory has no user \(candidate.file.userName)"), into: &report)
            case .failure(let error):
                fail(candidate.file, user: nil, error, warnings: candidate.warnings, into: &report)
            }
        }

        var state = UploadState.read(from: folder)
        let current = try await source.photoMetadata(of: ready.map(\.user))
        var toSend = [(candidate: Candidate, user: DirectoryUser)]()
        for (candidate, user) in ready {
            let etag: String?
            switch current[user.id] ?? .failure(.missingAnswer(for: user.id)) {
            case .success(let metadata):
                etag = metadata?.mediaEtag
            case .failure(let error):
                // Without the current ETag, whether the photo changed since is unknown: not sent blind.
                fail(candidate.file, user: user.id, error, warnings: candidate.warnings, into: &report)
                continue
            }
            switch UploadPlan.action(digest: candidate.digest, record: state.users[user.id], currentETag: etag,
                                     force: options.force) {
            case .unchanged:
                report.add(.init(file: candidate.file.fileName, user: user.id, result: .unchanged, warnings: candidate.warnings))
                options.progress?.userDone()
            case .upload where options.dryRun:
                report.add(.init(file: candidate.file.fileName, user: user.id, result: .wouldUpload, warnings: candidate.warnings))
                options.progress?.userDone()
            case .upload:
                toSend.append((candidate, user))
            }
        }

        for chunk in toSend.chunked(into: 20) {
            try await send(chunk, state: &state, into: &report)
        }
        options.progress?.finish()
        report.requests = statistics.snapshot
        report.exitCode = report.counts.refused + report.counts.failed > 0 ? 1 : 0
        return report
    }

    /// Uploads a chunk, `concurrency` at a time, then reads the new ETags in one batch and
    /// records them, so a run stopped between chunks loses nothing it had sent. What went up is
    /// written to the state even when the run stops right after.
    private func send(_ chunk: [(candidate: Candidate, user: DirectoryUser)], state: inout UploadState,
                      into report: inout UploadReport) async throws {
        var outcomes = [Int: SourceError?]()
        do {
            try await withThrowingTaskGroup(of: (Int, SourceError?).self) { group in
                var next = 0
                func start() {
                    let (index, item) = (next, chunk[next])
                    next += 1
                    group.addTask {
                        do throws(SourceError) {
                            try await source.setPhoto(try item.candidate.body(), contentType: item.candidate.contentType, of: item.user)
                            return (index, nil)
                        } catch {
                            if error.isFatal { throw error }
                            return (index, error)
                        }
                    }
                }
                while next < min(concurrency, chunk.count) { start() }
                while let (index, error) = try await group.next() {
                    outcomes[index] = error
                    if next < chunk.count { start() }
                }
            }
        } catch {
            record(chunk, outcomes: outcomes, etags: [:], state: &state, into: &report)
            try state.write(to: folder)
            throw error
        }
        let uploaded = chunk.indices.filter { outcomes[$0] == .some(nil) }
        // The new ETags; one that cannot be read leaves the record without, and the next run sends that file once more.
        let after: [String: Result<PhotoMetadata?, SourceError>]
        do {
            after = try await source.photoMetadata(of: uploaded.map { chunk[$0].user })
        } catch {
            record(chunk, outcomes: outcomes, etags: [:], state: &state, into: &report)
            try state.write(to: folder)
            throw error
        }
        record(chunk, outcomes: outcomes, etags: after.compactMapValues { try? $0.get()?.mediaEtag }, state: &state, into: &report)
        try state.write(to: folder)
    }

    /// Reports each file of a sent chunk and records those that went up.
    private func record(_ chunk: [(candidate: Candidate, user: DirectoryUser)], outcomes: [Int: SourceError?],
                        etags: [String: String], state: inout UploadState, into report: inout UploadReport) {
        for (index, item) in chunk.enumerated() {
            let file = item.candidate.file
            guard let outcome = outcomes[index] else { continue }  // never sent: the run stopped first
            if let error = outcome {
                fail(file, user: item.user.id, error, warnings: item.candidate.warnings, into: &report)
                continue
            }
            state.users[item.user.id] = UploadState.Record(digest: item.candidate.digest, etag: etags[item.user.id],
                                                            file: file.fileName)
            report.add(.init(file: file.fileName, user: item.user.id, result: .uploaded, warnings: item.candidate.warnings))
            options.progress?.userDone()
            logger.info("uploaded", metadata: ["file": "\(file.fileName)", "user": "\(item.user.id)"])
        }
    }

    private func refuse(_ file: UploadFile, _ refusal: UploadRefusal, into report: inout UploadReport, user: String? = nil) {
        logger.notice("refused", metadata: ["file": "\(file.fileName)", "reason": "\(refusal.reason.rawValue)",
                                           "message": "\(refusal.message)"])
        report.add(.init(file: file.fileName, user: user, result: .refused, reason: refusal.reason.rawValue,
                         message: refusal.message, warnings: []))
        options.progress?.userDone()
    }

    private func fail(_ file: UploadFile, user: String?, _ error: SourceError, warnings: [String], into report: inout UploadReport) {
        logger.notice("upload failed", metadata: ["file": "\(file.fileName)", "kind": "\(error.kind.rawValue)",
                                                 "message": "\(error.message)"])
        report.add(.init(file: file.fileName, user: user, result: .failed, reason: error.kind.rawValue,
                         message: error.localizedDescription, warnings: warnings))
        options.progress?.userDone()
    }
}
