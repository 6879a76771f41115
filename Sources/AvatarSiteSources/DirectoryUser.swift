/// One user as the directory lists them: the fields the pipeline reads, typed, and every field
/// the source returned (of which only `output.public_fields` are ever written).
public struct DirectoryUser: Sendable, Equatable {
    /// The user's folder name and the key of every map: Graph's object id, a users file's `id`,
    /// or a key derived from the address (`UserKey`).
    public var id: String
    public var displayName: String?
    public var givenName: String?
    public var surname: String?
    public var mail: String?
    public var userPrincipalName: String?
    /// The key of the user's manager, when the source knows it.
    public var manager: String?
    /// Every field as the source returned it, by its Graph name (`jobTitle`, `department`…).
    public var fields: [String: JSONValue]

    public init(id: String, displayName: String? = nil, givenName: String? = nil, surname: String? = nil,
                mail: String? = nil, userPrincipalName: String? = nil, manager: String? = nil,
                fields: [String: JSONValue] = [:]) {
        self.id = id
        self.displayName = displayName
        self.givenName = givenName
        self.surname = surname
        self.mail = mail
        self.userPrincipalName = userPrincipalName
        self.manager = manager
        self.fields = fields
    }

    /// A user from a record of named fields (a Graph listing entry, a users-file row): the typed
    /// fields are read from the record's strings; a field of another type is left out of them.
    public init(id: String, record: [String: JSONValue], manager: String? = nil) {
        func text(_ name: String) -> String? {
            guard case .string(let value) = record[name], !value.isEmpty else { return nil }
            return value
        }
        self.init(id: id, displayName: text("displayName"), givenName: text("givenName"), surname: text("surname"),
                  mail: text("mail"), userPrincipalName: text("userPrincipalName"), manager: manager, fields: record)
    }

    /// The address a mailbox API (EWS, Outlook) asks for: the mail, else the user principal name.
    public var address: String? { mail ?? userPrincipalName }

    /// The fields written to `users.json` and the page: those named in `publicFields` that are
    /// plain values (strings, numbers, booleans), plus the manager's key when it is public.
    package func publicFields(_ publicFields: Set<String>) -> [String: JSONValue] {
        var kept = fields.filter { name, value in
            guard publicFields.contains(name) else { return false }
            switch value {
            case .string, .number, .bool: return true
            case .null, .array, .object: return false
            }
        }
        if publicFields.contains("manager") {
            kept["manager"] = manager.map(JSONValue.string)
        }
        return kept
    }
}
