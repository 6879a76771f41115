/// Faults the demo tenant injects, to prove the tool survives a cloud API's bad nights.
/// Rates are fractions of the requests to Graph routes (the token endpoint stays healthy unless
/// `tokenFailures` says otherwise).
public struct DemoFaults: Sendable, Equatable {
    /// Answer `429 TooManyRequests` with `Retry-After: retryAfterSeconds`.
    public var throttleRate = 0.0
    /// Answer `503 ServiceUnavailable` (without Retry-After).
    public var unavailableRate = 0.0
    /// Start the answer, then drop the connection.
    public var dropRate = 0.0
    /// Send only part of a photo's bytes, then drop the connection.
    public var truncatedPhotoRate = 0.0
    public var retryAfterSeconds = 1
    /// Fail every listing page after this many with `503`, for "listing failure changes nothing".
    public var listingFailsAfterPages: Int?
    /// Refuse every photo request (metadata and bytes) with `503`.
    public var failAllPhotos = false
    /// Answer the token endpoint with `401 invalid_client` this many times first.
    public var tokenFailures = 0
    /// Share of the requests inside a `$batch` answered `429` (the batch itself succeeds), with
    /// `Retry-After: retryAfterSeconds` in the sub-response's headers.
    public var batchItemThrottleRate = 0.0
    /// Refuse `POST /$batch` with `400`, so the client must fall back to one request per user.
    public var batchUnsupported = false
    /// Revoke every token issued so far once this many Graph requests have been served, as an
    /// expired or revoked token looks to a client: `401 InvalidAuthenticationToken`.
    public var revokeTokensAfterRequests: Int?
    /// Seed of the fault dice, so a run can be repeated.
    public var seed: UInt64 = 1

    public init() {}

    /// Whether any fault is switched on.
    public var isEmpty: Bool { self == DemoFaults() }
}
