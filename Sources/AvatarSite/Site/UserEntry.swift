public import AvatarSiteContract
public import AvatarSiteSources

/// One user's line in `users.json`: the public fields and where the images are.
public struct UserEntry: Codable, Sendable, Equatable {
    public var id: String
    public var fields: [String: JSONValue]
    public var placeholder: Bool
    /// The user's addresses, which name the user in the host configs (aliases, Gravatar hashes);
    /// never written to `users.json` (only public fields are).
    public var addresses: UserAddresses

    public init(id: String, fields: [String: JSONValue], placeholder: Bool, addresses: UserAddresses = UserAddresses()) {
        self.id = id
        self.fields = fields
        self.placeholder = placeholder
        self.addresses = addresses
    }

    /// `users/{id}/photo.jpg`, relative to the site root.
    public var photoPath: String { "users/\(id)/photo.jpg" }

    /// `users/{id}/photos/{size}.jpg` with `{size}` left for the consumer, e.g. `240x240`.
    public var photosTemplate: String { "users/\(id)/photos/{size}.jpg" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for (name, value) in fields {
            try container.encode(value, forKey: AnyCodingKey(stringValue: name))
        }
        try container.encode(id, forKey: AnyCodingKey(stringValue: "id"))
        try container.encode(photoPath, forKey: AnyCodingKey(stringValue: "photo"))
        try container.encode(photosTemplate, forKey: AnyCodingKey(stringValue: "photos"))
        try container.encode(placeholder, forKey: AnyCodingKey(stringValue: "placeholder"))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try container.decode(String.self, forKey: AnyCodingKey(stringValue: "id"))
        placeholder = try container.decode(Bool.self, forKey: AnyCodingKey(stringValue: "placeholder"))
        var fields = [String: JSONValue]()
        for key in container.allKeys where !UserEntryKeys.reserved.contains(key.stringValue) {
            fields[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self.fields = fields
        addresses = UserAddresses()
    }
}

/// A user's mail and user principal name as the directory gave them.
public struct UserAddresses: Sendable, Equatable {
    public var mail: String?
    public var userPrincipalName: String?

    public init(mail: String? = nil, userPrincipalName: String? = nil) {
        self.mail = mail
        self.userPrincipalName = userPrincipalName
    }

    public subscript(field: AliasField) -> String? {
        switch field {
        case .mail: mail
        case .userPrincipalName: userPrincipalName
        }
    }
}

/// `users.json`: every user of the site, sorted by id, and the sizes every user has.
public struct UsersDocument: Codable, Sendable {
    public var sizes: [String]
    public var value: [UserEntry]
}
