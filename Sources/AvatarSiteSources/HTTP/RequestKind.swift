/// What a request was for; the report and the benchmark count requests by it.
public enum RequestKind: String, Sendable, CaseIterable, Codable {
    case token
    case listUsers = "list_users"
    case photoMetadata = "photo_metadata"
    case photoBytes = "photo_bytes"
    /// A photo asked for with the ETag the site holds (EWS): its bytes, or "not modified".
    case conditionalPhoto = "conditional_photo"
    case batch
    /// A user looked up by id, user principal name or mail (uploads).
    case resolveUser = "resolve_user"
    /// A photo set (uploads).
    case photoUpload = "photo_upload"
}
