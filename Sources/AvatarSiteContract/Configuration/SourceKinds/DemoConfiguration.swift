/// `source.demo:` — the embedded demo tenant's knobs, used when `kind: demo`.
public struct DemoConfiguration: Sendable, Equatable {
    public var users = 120
    public var latencyMilliseconds = 0
    public var seed: UInt64 = 2026
    /// Adds users built to attack the tool (path-like ids, script tags, broken and bomb photos).
    public var hostileUsers = false
    /// False: nobody has a photo, so every user is a placeholder and a large directory builds fast.
    public var photos = true

    public init() {}
}

extension DemoConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case users
        case latencyMilliseconds = "latency_ms"
        case seed
        case hostileUsers = "hostile_users"
        case photos
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decode(.users, default: users)
        try container.require((0...1_000_000).contains(users), .users, "must be between 0 and 1000000")
        latencyMilliseconds = try container.decode(.latencyMilliseconds, default: latencyMilliseconds)
        try container.require((0...10_000).contains(latencyMilliseconds), .latencyMilliseconds, "must be between 0 and 10000")
        seed = try container.decode(.seed, default: seed)
        hostileUsers = try container.decode(.hostileUsers, default: hostileUsers)
        photos = try container.decode(.photos, default: photos)
    }
}
