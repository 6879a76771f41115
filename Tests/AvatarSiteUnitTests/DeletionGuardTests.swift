import Testing
@testable import AvatarSite
@testable import AvatarSiteContract

/// The deletion guard as a decision: how many may go, out of how many, with what retried.
@Suite struct DeletionGuardTests {
    static func departures(present: Int, listed: Int, pending: [String] = []) -> Departures {
        Departures(present: (0..<present).map { FileName("user-\($0)") }, listed: Set((0..<listed).map { "user-\($0)" }),
                   pending: pending)
    }

    @Test func allowsRemovalsWithinTheLimit() {
        let verdict = DeletionGuard.verdict(departures: Self.departures(present: 100, listed: 95), present: 100, publishedBefore: 100,
                                            limit: .percent(5), allowDeletions: false)
        #expect(verdict == .allowed)
    }

    @Test func stopsOneOverTheLimit() {
        let verdict = DeletionGuard.verdict(departures: Self.departures(present: 100, listed: 94), present: 100, publishedBefore: 100,
                                            limit: .percent(5), allowDeletions: false)
        #expect(verdict == .tooMany(removing: 6, allowed: 5, published: 100))
    }

    @Test func publishesAnyNumberWhenAllowed() {
        let verdict = DeletionGuard.verdict(departures: Self.departures(present: 100, listed: 0), present: 100, publishedBefore: 100,
                                            limit: .count(0), allowDeletions: true)
        #expect(verdict == .allowed)
    }

    /// A folder an earlier build could not remove was counted by that build, not again.
    @Test func doesNotCountARetriedRemovalAgain() {
        let departures = Self.departures(present: 10, listed: 8, pending: ["user-9"])
        #expect(departures.newlyDeparted == 1)
        let verdict = DeletionGuard.verdict(departures: departures, present: 10, publishedBefore: 9, limit: .count(1), allowDeletions: false)
        #expect(verdict == .allowed)
    }
}
