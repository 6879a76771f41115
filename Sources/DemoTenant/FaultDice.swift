import Foundation
import Synchronization

/// The tenant's fault draws, made from what is asked rather than from when: the n-th time a
/// request is made draws the same number whatever else is in flight. A storm is then the same
/// storm on a loaded machine and a quiet one, whatever order concurrent requests arrive in, and
/// a build against it comes out the same every time.
final class FaultDice: Sendable {
    private let seed: UInt64
    /// How often each (purpose, request) has been drawn for.
    private let draws = Mutex<[String: UInt64]>([:])

    init(seed: UInt64) {
        self.seed = seed
    }

    /// A number in 0..<1 for `purpose` ("fault", "truncate"…) on `request`, which names the
    /// request by what it asks (method, path, query, a digest of its body).
    func roll(_ purpose: String, for request: String) -> Double {
        let key = purpose + " " + request
        let occurrence = draws.withLock { draws in
            defer { draws[key, default: 0] += 1 }
            return draws[key, default: 0]
        }
        var generator = SplitMix64(seed: seed ^ Self.digest(Data(key.utf8)) &+ occurrence &* 0x9E37_79B9_7F4A_7C15)
        return Double(generator.next() % 1_000_000) / 1_000_000
    }

    /// FNV-1a, 64 bits: stable from run to run, as Swift's `Hasher` is not.
    static func digest(_ bytes: Data) -> UInt64 {
        // Over the raw bytes: `Data`'s own iterator goes a byte at a time through a call.
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in raw {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return hash
        }
    }
}
