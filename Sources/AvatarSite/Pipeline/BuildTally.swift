import Foundation
import AvatarSiteContract
import AvatarSiteImaging
import AvatarSiteSources

/// What the build has gathered so far: entries for the index, staged users, state, the report.
struct BuildTally {
    /// The users of the new index, as the page and the host configs read them.
    var entries = [UserEntry]()
    var staged = [String]()
    var records = [String: StateFile.UserRecord]()
    var report = BuildReport()

    mutating func record(_ outcomes: [UserOutcome], progress: ProgressReporter?) {
        for outcome in outcomes {
            record(outcome)
            progress?.userDone()
        }
    }

    mutating func record(_ outcome: UserOutcome) {
        switch outcome {
        case .unchanged(let entry, let record):
            include(entry, record)
            report.counts.unchanged += 1
            if record.noMailbox == true { report.counts.noMailbox += 1 }
        case .staged(let entry, let record, let files, let noMailbox, let failures):
            include(entry, record)
            staged.append(entry.id)
            report.filesWritten += files
            if noMailbox { report.counts.noMailbox += 1 }
            if !failures.isEmpty { report.counts.provisional += 1 }
            if !entry.placeholder { report.counts.downloaded += 1 }
            add(failures)
        case .kept(let entry, let record, let failures):
            include(entry, record)
            report.counts.kept += 1
            add(failures)
        case .skipped(let failures):
            report.counts.skipped += 1
            add(failures)
        }
    }

    private mutating func include(_ entry: UserEntry, _ record: StateFile.UserRecord?) {
        entries.append(entry)
        records[entry.id] = record
        report.counts.written += 1
        if entry.placeholder { report.counts.placeholders += 1 } else { report.counts.photos += 1 }
    }

    private mutating func add(_ failures: [UserFailure]) {
        guard !failures.isEmpty else { return }
        report.counts.failed += 1
        report.failures += failures
        for failure in failures {
            report.failuresByKind[[failure.kind, failure.code].compactMap { $0 }.joined(separator: ":"), default: 0] += 1
        }
    }
}
