@testable import DemoTenant
import Testing

/// The demo tenant's faults depend on what is asked, never on the order requests arrive in.
@Suite struct FaultDiceTests {
    static let requests = (0..<40).map { "POST /v1.0/$batch \($0)" }

    /// Each request's draws, its first, second and third time, with the requests taken in `order`.
    static func draws(seed: UInt64, order: [String]) -> [String: [Double]] {
        let dice = FaultDice(seed: seed)
        var draws = [String: [Double]]()
        for _ in 0..<3 {
            for request in order { draws[request, default: []].append(dice.roll("fault", for: request)) }
        }
        return draws
    }

    /// Should draw the same numbers for each request whatever the order of arrival.
    @Test func theOrderOfArrivalChangesNothing() {
        var shuffled = SystemRandomNumberGenerator()
        let inOrder = Self.draws(seed: 99, order: Self.requests)
        let reordered = Self.draws(seed: 99, order: Self.requests.shuffled(using: &shuffled).reversed())
        #expect(inOrder == reordered)
    }

    /// Should give a request new numbers when it is asked again, another seed other numbers, and
    /// numbers spread over 0..<1 as the rates assume.
    @Test func drawsAreSpreadAndAskingAgainDrawsAgain() {
        let draws = Self.draws(seed: 99, order: Self.requests)
        let other = Self.draws(seed: 100, order: Self.requests)
        #expect(draws.values.allSatisfy { Set($0).count == 3 })
        #expect(draws != other)
        let all = draws.values.flatMap { $0 }
        #expect(all.allSatisfy { (0..<1).contains($0) })
        let belowAQuarter = Double(all.filter { $0 < 0.25 }.count) / Double(all.count)
        #expect((0.12...0.38).contains(belowAQuarter), "\(belowAQuarter)")
        let dice = FaultDice(seed: 99)
        #expect(dice.roll("fault", for: "GET /a") != dice.roll("truncate", for: "GET /a"))
    }
}
