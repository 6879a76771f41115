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
    /// Refuse the client secret as expired, as Entra ID does once a secret's end date has
    /// passed: `401 invalid_client` with `AADSTS7000222`.
    public var expiredSecret = false
    /// Refuse `GET /users` with `403 Authorization_RequestDenied`, as Graph does for an app
    /// without the `User.Read.All` application permission (or without admin consent for it).
    public var listingDenied = false
    /// Refuse every photo request (metadata and bytes, alone or in a `$batch`) with `403
    /// Authorization_RequestDenied`, as for an app without `ProfilePhoto.Read.All` or its consent.
    public var photosDenied = false
    /// Share of the requests inside a `$batch` answered `429` (the batch itself succeeds), with
    /// `Retry-After: retryAfterSeconds` in the sub-response's headers.
    public var batchItemThrottleRate = 0.0
    /// Shares of the requests inside a `$batch` answered `503`, cut short (a photo's bytes
    /// halved), or left out of the answer altogether.
    public var batchItemUnavailableRate = 0.0
    public var batchItemTruncatedRate = 0.0
    public var batchItemMissingRate = 0.0
    /// Refuse `POST /$batch` with `400`, so the client must fall back to one request per user.
    public var batchUnsupported = false
    /// Revoke every token issued so far once this many Graph requests have been served, as an
    /// expired or revoked token looks to a client: `401 InvalidAuthenticationToken`.
    public var revokeTokensAfterRequests: Int?
    /// These users' photo bodies (Graph and Outlook `$value`, EWS) send their headers and a
    /// part, then stall forever, or with `trickle` send a byte a second forever.
    public var stalledPhotoUsers: Set<String> = []
    public var trickle = false
    /// These users' photos (metadata and bytes) answer 401, as Graph does for guests and some
    /// mailboxes; `"*"` means everyone's.
    public var unauthorizedPhotoUsers: Set<String> = []
    /// Raw JSON text put in place of a listed user's field (user id → field → text), which may
    /// be what no decoder takes: a lone surrogate, `1e400`, nesting 600 deep.
    public var rawListingFields: [String: [String: String]] = [:]
    /// How the listing refuses to end.
    public var listingLoop: ListingLoop?
    /// The token answer's `expires_in` as raw JSON text (`1e300`, `0`, `"soon"`); `""` leaves it out.
    public var tokenExpiresIn: String?
    /// These users' photo bytes answer 400 with an error code of `hugeErrorCodeBytes` bytes,
    /// control characters and escape sequences included.
    public var hugeErrorUsers: Set<String> = []
    public var hugeErrorCodeBytes = 4 * 1024 * 1024
    /// These users' EWS SOAP answers come in UTF-16LE without a byte order mark (ASCII and NUL
    /// bytes) and declare a document type, whose entity the answer uses.
    public var utf16AnswerUsers: Set<String> = []

    public enum ListingLoop: Sendable, Equatable {
        /// Every page links to a new page, whose users start over: distinct links forever.
        case distinctLinks
        /// The second page links back to the first.
        case cycle
        /// After the users, empty pages that keep linking on.
        case emptyPages
    }

    /// Seed of the fault dice, so a run can be repeated.
    public var seed: UInt64 = 1

    public init() {}

    /// Whether any fault is switched on.
    public var isEmpty: Bool { self == DemoFaults() }
}
