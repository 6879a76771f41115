/// `source.concurrency`: how many requests a build keeps in flight. `auto` (the default) starts
/// at 8 and finds the server's limit, up to `source.max_concurrency`; a number fixes it, and is
/// never exceeded.
public enum ConcurrencySetting: Sendable, Equatable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    case auto
    case fixed(Int)

    /// Where `auto` starts.
    public static let autoStart = 8

    public init(integerLiteral value: Int) {
        self = .fixed(value)
    }

    /// Requests in flight at the start.
    public var initial: Int {
        switch self {
        case .auto: Self.autoStart
        case .fixed(let count): count
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .fixed(let count): String(count)
        }
    }
}

extension ConcurrencySetting: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            guard (1...256).contains(count) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be auto or between 1 and 256")
            }
            self = .fixed(count)
        } else if let text = try? container.decode(String.self), text == "auto" {
            self = .auto
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be auto or a whole number between 1 and 256")
        }
    }
}
