/// `source.users:` — which users to list and which of their fields to ask for.
public struct UserQueryConfiguration: Sendable, Equatable {
    public var filter: String? = "accountEnabled eq true"
    public var fields = ["id", "displayName", "givenName", "surname", "userPrincipalName", "mail",
                         "jobTitle", "department", "officeLocation"]
    /// `$top` of each listing page; Graph's maximum for users is 999.
    public var pageSize = 999
    /// The most users a listing may hold; past it, a server linking page after page forever
    /// is assumed, and the night stops with nothing changed.
    public var limit = 2_000_000

    public init() {}
}

extension UserQueryConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case filter, fields
        case pageSize = "page_size"
        case limit
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.filter) {
            let filter = try container.decodeIfPresent(String.self, forKey: .filter)
            self.filter = (filter?.isEmpty ?? true) ? nil : filter
        }
        var fields = try container.decode(.fields, default: fields)
        try container.require(fields.allSatisfy(Self.isFieldName), .fields, "field names are letters and digits only")
        if !fields.contains("id") { fields.insert("id", at: 0) }
        self.fields = fields
        pageSize = try container.decode(.pageSize, default: pageSize)
        try container.require((1...999).contains(pageSize), .pageSize, "must be between 1 and 999")
        limit = try container.decode(.limit, default: limit)
        try container.require(limit >= 1, .limit, "must be at least 1")
    }

    package static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
