import Foundation

/// The folders under `users/` a publish removes — every one the new index does not list — and,
/// once removal was tried, what is said of those that would not go. Names in, names out: a
/// decision apart from the file system, carried out by `SitePublisher`.
///
/// A folder that would not go does not stop the night: the index and the state already say the
/// user left, the report warns, and the state keeps the folder pending, so the next build tries
/// again without the deletion guard counting it a second time.
struct Departures: Sendable, Equatable {
    /// Every folder under `users/` the new index does not list, in name order.
    let folders: [FileName]
    /// Those an earlier build already took out of its index and could not remove.
    let retried: Set<FileName>

    /// - Parameters:
    ///   - present: the names under `users/`, as the file system holds them.
    ///   - listed: the ids the new index lists.
    ///   - pending: what the last build's state says it could not remove.
    init(present: [FileName], listed: Set<String>, pending: [String]) {
        let pending = Set(pending)
        folders = present.filter { name in name.string.map { !listed.contains($0) } ?? true }
            .sorted { $0.description < $1.description }
        retried = Set(folders.filter { pending.contains($0.description) })
    }

    /// What the deletion guard counts: departures this build decides, not those it retries.
    var newlyDeparted: Int { folders.count - retried.count }

    struct Outcome: Sendable, Equatable {
        /// Folders removed.
        var removed = 0
        /// Folders that would not go, each with why.
        var leftovers: [BuildReport.Leftover] = []
        /// What the state keeps, for the next build to remove.
        var pending: [String] = []
    }

    /// What came of trying to remove each folder (nil: it went).
    func outcome(_ failures: [FileName: SiteError]) -> Outcome {
        var outcome = Outcome()
        for name in folders {
            guard let failure = failures[name] else {
                outcome.removed += 1
                continue
            }
            outcome.leftovers.append(BuildReport.Leftover(path: "users/\(name)", reason: failure.errorDescription ?? failure.reason))
            outcome.pending.append(name.description)
        }
        return outcome
    }
}
