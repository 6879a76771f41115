import Foundation

/// How many users one build may remove: a count (`50`) or a share of the previous site (`5%`).
public enum DeletionLimit: Equatable, Sendable {
    case count(Int)
    case percent(Double)

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)),
                  (0...100).contains(value) else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(trimmed), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// The number of removals allowed out of `previousCount` users.
    public func allowed(outOf previousCount: Int) -> Int {
        switch self {
        case .count(let count): count
        case .percent(let percent): Int((Double(previousCount) * percent / 100).rounded(.down))
        }
    }
}

extension DeletionLimit: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let number = try? container.decode(Int.self) {
            text = String(number)
        } else {
            text = try container.decode(String.self)
        }
        guard let limit = DeletionLimit(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is neither a count (50) nor a percentage (5%)")
        }
        self = limit
    }
}
