public import Foundation

/// When to send a request again and how long to wait first, with the semantics of the Graph
/// SDKs' RetryHandler: 429, 503 and 504 (and broken connections) are retried up to `retries`
/// times, and so are 500 and 502, since every request the tool retries changes nothing; the server's `Retry-After` is honoured, in seconds or as an HTTP date; without it the
/// wait is exponential backoff with full jitter. A wait longer than `maximumDelay` is not
/// worth making: the request fails at once instead, and so it does when the waits of one request
/// would add up to more than `maximumDelay`.
public struct RetryPolicy: Sendable {
    public var retries: Int
    /// The first backoff step; attempt n waits a random time up to `baseDelay · 2ⁿ`.
    public var baseDelay: Duration = .milliseconds(500)
    /// The largest backoff step.
    public var maximumBackoff: Duration = .seconds(32)
    /// The most one request may wait in all, and the longest `Retry-After` obeyed.
    public var maximumDelay: Duration = .seconds(180)

    /// The statuses worth asking again; a source whose 500 means "no such user" (EWS) leaves it out.
    public var retriedStatuses: Set<Int> = [429, 500, 502, 503, 504]

    public init(retries: Int) {
        self.retries = retries
    }

    /// The wait before retry number `attempt` (1 for the first retry), or nil to give up.
    /// - Parameters:
    ///   - waited: what this request has already waited in earlier retries.
    ///   - retryAfter: the server's `Retry-After` header, if any.
    ///   - random: a number in 0..<1, for the jitter.
    public func delay(beforeRetry attempt: Int, waited: Duration, retryAfter: String?, now: Date = Date(),
                      random: Double) -> Duration? {
        guard attempt <= retries else { return nil }
        let delay: Duration
        if let retryAfter, let asked = Self.parseRetryAfter(retryAfter, now: now) {
            delay = asked
        } else {
            let step = min(maximumBackoff, baseDelay * (1 << min(attempt - 1, 30)))
            delay = step * random
        }
        guard delay <= maximumDelay, waited + delay <= maximumDelay else { return nil }
        return delay
    }

    /// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); nil when it is neither.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}

/// The three date formats HTTP allows (RFC 9110 §5.6.7), always in GMT.
enum HTTPDate {
    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss 'GMT'",  // IMF-fixdate, what servers send
        "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",  // obsolete RFC 850
        "EEE MMM d HH:mm:ss yyyy",  // obsolete asctime
    ]

    static func parse(_ text: String) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text.replacingOccurrences(of: "  ", with: " ")) { return date }
        }
        return nil
    }
}
