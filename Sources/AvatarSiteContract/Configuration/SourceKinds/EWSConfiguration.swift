/// `source.ews:` — how to speak Exchange Web Services.
public struct EWSConfiguration: Sendable, Equatable {
    public enum API: String, Decodable, Sendable, CaseIterable {
        /// `GET …/s/GetUserPhoto?email=…&size=…`, with `If-None-Match` answered `304`.
        case rest
        /// The SOAP `GetUserPhoto` operation.
        case soap
    }

    public var api = API.rest

    public init() {}
}

extension EWSConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case api
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        api = try container.decode(.api, default: .rest)
    }
}
