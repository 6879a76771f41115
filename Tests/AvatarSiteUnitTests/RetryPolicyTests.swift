import AvatarSite
import Foundation
import Testing
import AvatarSiteSources

@Suite struct RetryPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T…Z

    @Test(arguments: [
        ("0", Duration.zero),
        ("7", Duration.seconds(7)),
        (" 120 ", Duration.seconds(120)),
    ])
    func readsRetryAfterSeconds(header: String, expected: Duration) {
        #expect(RetryPolicy.parseRetryAfter(header, now: Self.now) == expected)
    }

    /// Should read all three HTTP date forms, and a date in the past means "now".
    @Test func readsRetryAfterDates() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        let later = Self.now.addingTimeInterval(30)
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            let header = formatter.string(from: later)
            #expect(RetryPolicy.parseRetryAfter(header, now: Self.now) == .seconds(30), "\(header)")
        }
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryPolicy.parseRetryAfter(formatter.string(from: Self.now.addingTimeInterval(-60)), now: Self.now) == .zero)
    }

    @Test(arguments: ["soon", "-5", "", "1.5", "Tue, 99 Foo 2026"])
    func ignoresMalformedRetryAfter(header: String) {
        #expect(RetryPolicy.parseRetryAfter(header, now: Self.now) == nil)
    }

    @Test func honoursRetryAfterUpToTheCap() {
        let policy = RetryPolicy(retries: 3)
        #expect(policy.delay(beforeRetry: 1, waited: .zero, retryAfter: "2", random: 0.9) == .seconds(2))
        // Waiting longer than the cap is pointless: give up at once rather than sleep for minutes.
        #expect(policy.delay(beforeRetry: 1, waited: .zero, retryAfter: "600", random: 0.9) == nil)
        // Nor may the waits of one request add up past it.
        #expect(policy.delay(beforeRetry: 2, waited: .seconds(170), retryAfter: "20", random: 0.9) == nil)
    }

    @Test func stopsAfterTheConfiguredRetries() {
        let policy = RetryPolicy(retries: 2)
        #expect(policy.delay(beforeRetry: 2, waited: .zero, retryAfter: "1", random: 0) != nil)
        #expect(policy.delay(beforeRetry: 3, waited: .zero, retryAfter: "1", random: 0) == nil)
        #expect(RetryPolicy(retries: 0).delay(beforeRetry: 1, waited: .zero, retryAfter: nil, random: 0.5) == nil)
    }

    /// Without Retry-After: full jitter, uniformly up to base·2ⁿ⁻¹, capped.
    @Test func backsOffExponentiallyWithFullJitter() {
        let policy = RetryPolicy(retries: 20)
        #expect(policy.delay(beforeRetry: 1, waited: .zero, retryAfter: nil, random: 0) == .zero)
        #expect(policy.delay(beforeRetry: 1, waited: .zero, retryAfter: nil, random: 0.5) == .milliseconds(250))
        #expect(policy.delay(beforeRetry: 3, waited: .zero, retryAfter: nil, random: 0.5) == .seconds(1))
        #expect(policy.delay(beforeRetry: 12, waited: .zero, retryAfter: nil, random: 0.5) == .seconds(16))
        #expect(policy.delay(beforeRetry: 12, waited: .zero, retryAfter: "garbage", random: 0.5) == .seconds(16))
    }
}
