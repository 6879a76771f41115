/// `source.upload:` — how `avatar-site upload` sets photos.
public struct UploadConfiguration: Sendable, Equatable {
    public enum Method: String, Decodable, Sendable, CaseIterable {
        case put, patch
    }

    /// Graph takes `PUT` and `PATCH` alike on `…/photo/$value`; the Outlook API always gets `PATCH`.
    public var method = Method.put

    public init() {}
}

extension UploadConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case method
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(.method, default: .put)
    }
}
