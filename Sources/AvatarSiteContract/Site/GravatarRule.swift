/// Gravatar's and Libravatar's `/avatar/{hash}[.ext]?s=…`, as the site answers it: the hash
/// forms, the image extensions, and which of the site's sizes answers a requested side.
public enum GravatarRule {
    /// What Gravatar answers when `s=` is missing or not a number.
    public static let defaultSize = 80
    /// Gravatar answers up to 2048 px, so anything up to that is worth a size; the largest
    /// generated size answers everything above it.
    public static let largestSize = 2048
    /// md5 and sha256 of the trimmed, lower-cased mail, in hex.
    public static let hashLengths = [32, 64]
    /// Like Gravatar, any of these answers the same JPEG (Discourse asks for .png).
    public static let extensions = ["jpg", "jpeg", "png"]

    /// The side that answers `requested`: the smallest at or above it, else the largest. A
    /// client scales down a little; it never gets a blurry enlargement it did not ask for,
    /// unless it asks for more than the site has. nil only when there are no sides.
    public static func side(answering requested: Int, among sides: [Int]) -> Int? {
        sides.sorted().first { $0 >= requested } ?? sides.max()
    }

    /// The requested sides each side answers: from just above the next smaller side up to its
    /// own; the largest also answers everything above, up to `largestSize`.
    public static func ranges(for sides: [Int]) -> [(side: Int, range: ClosedRange<Int>)] {
        let ascending = Set(sides).sorted()
        var low = 1
        return ascending.enumerated().map { index, side in
            let high = index == ascending.count - 1 ? max(side, largestSize) : side
            defer { low = side + 1 }
            return (side, low...high)
        }
    }

    /// Whether `text` is a hash of one of the forms, either case.
    public static func isHash(_ text: Substring) -> Bool {
        hashLengths.contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
            default: false
            }
        }
    }

    /// `[0-9A-Fa-f]{32}|[0-9A-Fa-f]{64}`, for nginx.
    public static var hashPattern: String {
        hashLengths.map { "[0-9A-Fa-f]{\($0)}" }.joined(separator: "|")
    }
}
