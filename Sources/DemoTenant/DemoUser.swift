public import Foundation

/// One user of the demo tenant, with what Graph would say about them and their photo.
public struct DemoUser: Sendable {
    public var id: String
    /// Directory fields by Graph name (`displayName`, `mobilePhone`…), as the server returns them.
    public var fields: [String: String]
    public var accountEnabled: Bool
    public var photo: DemoPhoto
    /// The id of the user's manager; nil for the top of the organisation. Graph answers it to
    /// `$expand=manager`.
    public var manager: String?

    public init(id: String, fields: [String: String], accountEnabled: Bool = true, photo: DemoPhoto, manager: String? = nil) {
        self.id = id
        self.fields = fields
        self.accountEnabled = accountEnabled
        self.photo = photo
        self.manager = manager
    }
}

/// What the demo tenant answers for a user's photo.
public enum DemoPhoto: Sendable {
    /// `404 ImageNotFound`, as Graph v1.0 answers.
    case none
    /// `200` with the `1X1` metadata, as Graph beta and Outlook v2.0 answer.
    case oneByOne
    /// A generated portrait of this size; `variant` picks its look.
    case portrait(variant: Int, width: Int, height: Int)
    /// These exact bytes, served as a JPEG of the claimed size, whatever they are.
    case raw(Data, width: Int, height: Int)

    /// The size of the largest photo the user has, if any.
    public var largestSize: (width: Int, height: Int)? {
        switch self {
        case .none, .oneByOne: nil
        case .portrait(_, let width, let height), .raw(_, let width, let height): (width, height)
        }
    }
}
