/// What a request was for; the report and the benchmark count requests by it.
public enum RequestKind: String, Sendable, CaseIterable, Codable {
    case token
    case listUsers = "list_users"
    case photoMetadata = "photo_metadata"
    case photoBytes = "photo_bytes"
    case batch
}
