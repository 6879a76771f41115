/// The demo tenant's knobs.
public struct DemoTenantConfiguration: Sendable {
    /// Synthetic users to generate.
    public var userCount = 120
    public var seed: UInt64 = 2026
    /// Users added after the synthetic ones, for tests that need exact cases.
    public var extraUsers: [DemoUser] = []
    /// Added to every answer, to model a real service's round trip.
    public var latencyMilliseconds = 0
    /// The most users a listing page holds, whatever `$top` asks (Graph's own limit is 999).
    public var maxPageSize = 999
    public var tenant = "contoso.onmicrosoft.com"
    public var clientID = "00000000-0000-0000-0000-00000000d3e0"
    public var clientSecret = "demo-secret"
    /// The account EWS takes with HTTP basic authentication, as Exchange on premises does.
    public var basicUsername = "CONTOSO\\avatar-site"
    public var basicPassword = "demo-password"
    /// Answer EWS SOAP with the `https://schemas.microsoft.com/…` namespaces of Microsoft's
    /// documentation instead of the `http://` ones real Exchange uses.
    public var ewsDocumentationNamespaces = false
    /// How long issued tokens live.
    public var tokenLifetimeSeconds = 3599
    public var faults = DemoFaults()
    /// Above this many requests in flight (a `$batch` is one), answer `429` with
    /// `Retry-After: throttleRetryAfterSeconds`, as a real service protects itself.
    public var maxConcurrency: Int?
    public var throttleRetryAfterSeconds = 1
    /// Changes to the synthetic directory, to model the night between two builds.
    public var mutation = DemoMutation()
    /// Adds users built to attack the tool: path-like ids, script tags in names, non-image
    /// bytes, pixel-bomb headers, photos cut short.
    public var hostileUsers = false
    /// Adds users whose photos and names are as large as a build may be given: a 24-megapixel
    /// PNG, a 65,000x1 PNG, names of one grapheme with thousands of marks.
    public var hugeUsers = false
    /// False: no synthetic user has a photo, so every one is drawn as a placeholder, and a
    /// directory of 50,000 builds in minutes (the directory page's benchmark).
    public var photos = true

    public init(userCount: Int = 120, seed: UInt64 = 2026, latencyMilliseconds: Int = 0) {
        self.userCount = userCount
        self.seed = seed
        self.latencyMilliseconds = latencyMilliseconds
    }
}
