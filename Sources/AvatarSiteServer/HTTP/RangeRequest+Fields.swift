public import HTTPTypes

extension RangeRequest {
    /// The `Range` and `If-Range` of a request's fields. Of several `Range` fields the first
    /// counts and the others are ignored, as nginx reads them; joined into one list they would
    /// be ranges the client never asked for together.
    public init(_ fields: HTTPFields) {
        self.init(range: fields[values: .range].first, ifRange: fields[.ifRange])
    }
}
