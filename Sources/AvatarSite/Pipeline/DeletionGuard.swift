import AvatarSiteContract

/// The deletion guard: whether publishing may remove the users who left, or whether so many
/// left that `output.max_deletions` stops the build. A pure decision; the build acts on it.
enum DeletionGuard {
    enum Verdict: Sendable, Equatable {
        /// Within the limit, or `--allow-deletions` was given.
        case allowed
        /// More users would be removed than the limit allows out of those published.
        case tooMany(removing: Int, allowed: Int, published: Int)
    }

    /// - Parameters:
    ///   - departures: what publishing would remove; only the newly departed count, not the
    ///     folders an earlier build already took out of its index and could not remove.
    ///   - present: how many folders are under `users/`.
    ///   - publishedBefore: how many users the site published before this build.
    ///   - limit: `output.max_deletions`.
    ///   - allowDeletions: `--allow-deletions`: publish whatever the limit says.
    static func verdict(departures: Departures, present: Int, publishedBefore: Int,
                        limit: DeletionLimit, allowDeletions: Bool) -> Verdict {
        let published = max(publishedBefore, present - departures.retried.count)
        let allowed = limit.allowed(outOf: published)
        if departures.newlyDeparted > allowed && !allowDeletions {
            return .tooMany(removing: departures.newlyDeparted, allowed: allowed, published: published)
        }
        return .allowed
    }
}
