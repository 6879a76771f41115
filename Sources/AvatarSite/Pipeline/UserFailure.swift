import AvatarSiteImaging
import AvatarSiteSources

/// What went wrong for one user, as the report lists it.
public struct UserFailure: Codable, Sendable, Equatable, Error {
    public enum Stage: String, Codable, Sendable {
        case listing
        case id
        case metadata
        case download
        case image
        case placeholder
        case write
    }

    public var id: String
    public var stage: Stage
    /// `SourceError.Kind`, `ImagingError.Kind` or `unsafe_id`.
    public var kind: String
    public var status: Int?
    public var code: String?
    public var message: String

    public init(id: String, stage: Stage, kind: String, status: Int? = nil, code: String? = nil, message: String) {
        // A hostile id is reported in escaped, shortened form: the report must stay readable.
        self.id = id.count > 80 || id.unicodeScalars.contains { $0.value < 0x20 }
            ? String(id.debugDescription.prefix(80)) : id
        self.stage = stage
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
    }

    init(id: String, stage: Stage, _ error: SourceError) {
        self.init(id: id, stage: stage, kind: error.kind.rawValue, status: error.status, code: error.code,
                  message: error.message)
    }

    /// A failure to fetch the user's photo: at the metadata or the download, as the error says.
    init(id: String, _ error: SourceError) {
        let download = error.request == .photoBytes || error.request == .conditionalPhoto
        self.init(id: id, stage: download ? .download : .metadata, error)
    }

    init(invalid record: InvalidRecord) {
        self.init(id: record.id ?? "(unreadable)", stage: .listing, kind: SourceError.Kind.invalidRecord.rawValue, message: record.reason)
    }

    init(id: String, stage: Stage, _ error: ImagingError) {
        self.init(id: id, stage: stage, kind: error.kind.rawValue, message: error.message)
    }
}
