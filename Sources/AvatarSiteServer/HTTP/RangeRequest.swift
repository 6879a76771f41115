import Foundation
import AvatarSiteSources

/// A request's `Range` and `If-Range`, and what they make of a file's 200 answer, as nginx's
/// range filter decides: a header that does not start with `bytes=` is ignored, but one that
/// does and does not parse is unsatisfiable; ranges that come to more than the file answer it
/// whole; an `If-Range` that is not the file's exact ETag or Last-Modified answers it whole.
public struct RangeRequest: Sendable {
    public var range: String?
    public var ifRange: String?

    public init(range: String? = nil, ifRange: String? = nil) {
        self.range = range
        self.ifRange = ifRange
    }

    public enum Outcome: Equatable, Sendable {
        /// 200 with the whole file, saying `Accept-Ranges: bytes`.
        case whole
        /// 206 with these bytes of the file.
        case partial(Range<Int>)
        /// 416, saying `Content-Range: bytes */{size}`.
        case unsatisfiable
    }

    /// - Parameter file: the file's validators; its size is the length the ranges are read against.
    public func outcome(for file: FileValidators) -> Outcome {
        guard let range, range.utf8.count > 6, Self.startsWithBytesUnit(range.utf8) else { return .whole }
        if let ifRange, !Self.ifRange(ifRange, matches: file) { return .whole }
        guard let ranges = Self.parse(range.utf8.dropFirst(6), length: file.size) else { return .unsatisfiable }
        switch ranges.count {
        case 0:
            return .whole
        case 1:
            return .partial(ranges[0])
        default:
            // nginx answers several ranges as multipart/byteranges, or whole when they overlap
            // to more than the file; `serve` answers the whole file, which HTTP allows.
            return .whole
        }
    }

    /// Whether `value` starts with `bytes=` in any case, compared byte by byte: a combining mark
    /// after the `=` belongs to the ranges that follow, where comparing characters would fold it
    /// into the `=`.
    static func startsWithBytesUnit(_ value: String.UTF8View) -> Bool {
        let unit = "bytes=".utf8
        return value.count >= unit.count && zip(value, unit).allSatisfy { byte, expected in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 == expected : byte == expected
        }
    }

    /// A quoted value is an entity tag compared byte for byte (a weak one never matches);
    /// anything else is a date that must be the file's exact time.
    static func ifRange(_ value: String, matches file: FileValidators) -> Bool {
        if value.utf8.count >= 2, value.hasSuffix("\"") { return value == file.entityTag }
        return HTTPDate.parse(value) == file.modified
    }

    /// The satisfiable ranges of `spec` (after `bytes=`), clamped to `length`: nil when the spec
    /// does not parse or no range in it is satisfiable, empty when the file is to be answered
    /// whole. Spaces are allowed around numbers, as nginx allows them.
    static func parse(_ spec: Substring.UTF8View, length: Int) -> [Range<Int>]? {
        var bytes = spec[...]
        var ranges: [Range<Int>] = []
        func skipSpaces() { while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() } }
        func atEndOfRange() -> Bool { bytes.isEmpty || bytes.first == UInt8(ascii: ",") }
        // nil when there is no digit, or too many for an offset: both make the header unsatisfiable.
        func number() -> Int? {
            guard let first = bytes.first, isDigit(first) else { return nil }
            var value = 0
            while let digit = bytes.first, isDigit(digit) {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                if overflow || carry { return nil }
                value = sum
                bytes.removeFirst()
            }
            return value
        }
        while true {
            skipSpaces()
            let start: Int
            let end: Int
            if bytes.first == UInt8(ascii: "-") {
                bytes.removeFirst()
                guard let suffix = number() else { return nil }
                skipSpaces()
                guard atEndOfRange() else { return nil }
                start = suffix < length ? length - suffix : 0
                end = length
            } else {
                guard let first = number() else { return nil }
                skipSpaces()
                guard bytes.first == UInt8(ascii: "-") else { return nil }
                bytes.removeFirst()
                skipSpaces()
                start = first
                if atEndOfRange() {
                    end = length
                } else {
                    guard let last = number() else { return nil }
                    skipSpaces()
                    guard atEndOfRange() else { return nil }
                    end = last >= length ? length : last + 1
                }
            }
            if start < end {
                ranges.append(start..<end)
            } else if start == 0 {
                // An empty file: nginx answers it whole, whatever follows.
                return []
            }
            guard bytes.first == UInt8(ascii: ",") else { break }
            bytes.removeFirst()
        }
        if ranges.isEmpty { return nil }
        // Ranges that come to more than the file: nginx answers it whole.
        if ranges.reduce(0, { $0 + $1.count }) > length { return [] }
        return ranges
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
