/// One user as the directory lists them: the object id and the fields asked for.
public struct DirectoryUser: Sendable, Equatable {
    public var id: String
    public var fields: [String: JSONValue]

    public init(id: String, fields: [String: JSONValue]) {
        self.id = id
        self.fields = fields
    }

    /// A field as text, when it is a non-empty string.
    public func string(_ name: String) -> String? {
        guard case .string(let value) = fields[name], !value.isEmpty else { return nil }
        return value
    }
}
