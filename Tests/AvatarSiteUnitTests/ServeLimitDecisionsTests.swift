import AvatarSite
@testable import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The decisions behind `serve`'s limits, without a server: the connection cap and the
/// descriptors kept apart, which connection makes room over the cap, when a send has stalled.
@Suite struct ServeLimitDecisionsTests {
    @Test(arguments: [(nil, 2, 10_000), (1_048_576, 2, 10_000), (65_536, 64, 10_000), (1024, 2, 950), (1024, 32, 800),
                      (1024, 64, 640), (256, 2, 182), (256, 32, 128), (100, 2, 50), (2, 2, 1), (1, 2, 1), (0, 2, 1)]
                     as [(Int?, Int, Int)])
    func capsConnectionsBelowTheDescriptorLimit(limit: Int?, cores: Int, cap: Int) {
        #expect(ServeLimits.connectionCap(descriptorLimit: limit, coreCount: cores) == cap)
        if let limit, limit > 1 { #expect(cap < limit) }
    }

    /// Should keep more descriptors apart on a larger machine: each core has an event loop and
    /// a thread reading files, each holding descriptors of its own.
    @Test(arguments: [(1, 69), (2, 74), (32, 224), (128, 704)])
    func growsTheReserveWithTheCores(cores: Int, reserve: Int) {
        #expect(ServeLimits.descriptorReserve(coreCount: cores) == reserve)
    }

    @Test func takesAnExplicitCapOverTheDefault() {
        #expect(ServeLimits(maxConnections: 7).maxConnections == 7)
        #expect(ServeLimits().maxConnections
            == ServeLimits.connectionCap(descriptorLimit: ServeLimits.descriptorLimit(), coreCount: ServeLimits.coreCount))
        #expect(ServeLimits().idleTimeout == .seconds(60) && ServeLimits().headerTimeout == .seconds(10))
        #expect(ServeLimits().sendTimeout == .seconds(60))
    }

    /// Should keep connections up to the cap, then close the oldest without a request in
    /// progress to make room, and refuse a new one only when every kept one is answering.
    @Test func makesRoomByClosingTheOldestIdleConnection() {
        var roster = ConnectionRoster(capacity: 3)
        #expect(roster.admit() == .admitted(0))
        #expect(roster.admit() == .admitted(1))
        #expect(roster.admit() == .admitted(2))
        roster.setBusy(0, true)
        #expect(roster.admit() == .admittedClosing(3, older: 1), "0 is answering, so 1 is the oldest idle")
        roster.setBusy(2, true)
        roster.setBusy(3, true)
        #expect(roster.admit() == .refused)
        #expect(roster.count == 3)
        roster.setBusy(2, false)
        #expect(roster.admit() == .admittedClosing(5, older: 2))
        roster.remove(0)
        #expect(roster.admit() == .admitted(6))
        roster.setBusy(1, true)
        roster.remove(1)
        #expect(roster.count == 3, "a connection let go is no longer counted, whatever it reports later")
        #expect(ConnectionRoster(capacity: 0).capacity == 1)
    }

    /// Should keep a connection picked to make room when a request head reached it before it was
    /// closed: closing it would cut that request off. The cap is passed by one until a
    /// connection closes, and the next one over the cap makes room with another idle connection.
    @Test func keepsAConnectionWhoseRequestArrivedBeforeItWasClosed() {
        var roster = ConnectionRoster(capacity: 2)
        #expect(roster.admit() == .admitted(0))
        #expect(roster.admit() == .admitted(1))
        #expect(roster.admit() == .admittedClosing(2, older: 0))
        roster.setBusy(0, true)
        let answeringLeft = roster.leave(0)
        #expect(!answeringLeft, "0 is answering: it stays")
        #expect(roster.count == 3)
        #expect(roster.admit() == .admittedClosing(3, older: 1))
        let idleLeft = roster.leave(1)
        #expect(idleLeft, "1 is still idle: it goes")
        let leftAgain = roster.leave(1)
        #expect(!leftAgain, "and goes once")
        roster.setBusy(1, true)
        #expect(roster.count == 3, "a connection let go is no longer counted, whatever it reports later")
        roster.remove(0)
        #expect(roster.admit() == .admittedClosing(4, older: 2), "2 and 3 fill the cap again")
    }

    /// Should start the clock at the first write, restart it at each write that completes, and
    /// find a stall only when writes have waited the whole timeout without one completing.
    @Test func findsAStallOnlyWhileWritesWait() {
        let start = ContinuousClock.now
        var stall = SendStall<ContinuousClock.Instant>(timeout: .seconds(60))
        #expect(stall.check(at: start + .seconds(600)) == .idle, "nothing to send is never a stall")
        #expect(stall.writeStarted(at: start) == start + .seconds(60))
        #expect(stall.writeStarted(at: start + .seconds(1)) == nil, "the clock runs already")
        #expect(stall.check(at: start + .seconds(59)) == .checkAgain(start + .seconds(60)))
        stall.writeEnded(at: start + .seconds(50))
        #expect(stall.check(at: start + .seconds(60)) == .checkAgain(start + .seconds(110)), "progress restarts the clock")
        #expect(stall.check(at: start + .seconds(110)) == .stalled)
        stall.writeEnded(at: start + .seconds(120))
        #expect(stall.pending == 0)
        #expect(stall.check(at: start + .seconds(1000)) == .idle, "a kept-alive connection between answers")
        #expect(stall.writeStarted(at: start + .seconds(1000)) == start + .seconds(1060), "the next answer starts a new clock")
    }
}
