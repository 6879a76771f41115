import Foundation

/// Finds where the values of a JSON document start and end without decoding them, so that a
/// list of records can be decoded one record at a time: one bad record (a lone surrogate, a
/// number out of range, nesting a decoder refuses) then costs that record, not the document.
/// It walks the bytes with a counter rather than recursion, so no nesting depth can exhaust the
/// stack; it checks structure only as far as it must to find the boundaries.
enum JSONScanner {
    struct Malformed: Error, Equatable {
        /// The byte offset where the scan gave up.
        var offset: Int
        var reason: String
    }

    /// The members of the object that is the whole document: each key (decoded) and the byte
    /// range of its value.
    static func members(of data: Data) throws(Malformed) -> [(key: String, value: Range<Int>)] {
        let bytes = [UInt8](data)
        var index = skipWhitespace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            throw Malformed(offset: index, reason: "the document is not a JSON object")
        }
        var members = [(key: String, value: Range<Int>)]()
        index = skipWhitespace(bytes, index + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return members }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw Malformed(offset: index, reason: "expected a key")
            }
            let keyEnd = try skipString(bytes, index)
            let key = decodeString(Data(bytes[index..<keyEnd])) ?? ""
            index = skipWhitespace(bytes, keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Malformed(offset: index, reason: "expected ':'") }
            let valueStart = skipWhitespace(bytes, index + 1)
            let valueEnd = try skipValue(bytes, valueStart)
            members.append((key, valueStart..<valueEnd))
            index = skipWhitespace(bytes, valueEnd)
            guard index < bytes.count else { throw Malformed(offset: index, reason: "the object does not end") }
            if bytes[index] == UInt8(ascii: "}") {
                let after = skipWhitespace(bytes, index + 1)
                guard after == bytes.count else { throw Malformed(offset: after, reason: "something follows the object") }
                return members
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw Malformed(offset: index, reason: "expected ',' or '}'") }
            index = skipWhitespace(bytes, index + 1)
        }
    }

    /// The byte ranges of the elements of the array at `range` (the whole document by default,
    /// which must then hold nothing after the array).
    static func elements(ofArrayIn data: Data, range: Range<Int>? = nil) throws(Malformed) -> [Range<Int>] {
        let bytes = [UInt8](data)
        let end = range?.upperBound ?? bytes.count
        var index = skipWhitespace(bytes, range?.lowerBound ?? 0)
        guard index < end, bytes[index] == UInt8(ascii: "[") else { throw Malformed(offset: index, reason: "expected an array") }
        var elements = [Range<Int>]()
        index = skipWhitespace(bytes, index + 1)
        if index < end, bytes[index] == UInt8(ascii: "]") { return elements }
        while true {
            let valueEnd = try skipValue(bytes, index)
            elements.append(index..<valueEnd)
            index = skipWhitespace(bytes, valueEnd)
            guard index < end else { throw Malformed(offset: index, reason: "the array does not end") }
            if bytes[index] == UInt8(ascii: "]") {
                let after = skipWhitespace(bytes, index + 1)
                guard range != nil || after == bytes.count else { throw Malformed(offset: after, reason: "something follows the array") }
                return elements
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw Malformed(offset: index, reason: "expected ',' or ']'") }
            index = skipWhitespace(bytes, index + 1)
        }
    }

    /// The deepest nesting of arrays and objects in `data` (0 for a scalar), counted outside
    /// strings: decoders recurse once a level, so a document is measured before it is decoded.
    static func maximumDepth(of data: Data) -> Int {
        // Over the raw bytes: a `$batch` answer is megabytes of base64 inside strings, and
        // `Data`'s iterator costs a call per byte. A string's end is found with `memchr`.
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            var depth = 0, deepest = 0, index = 0
            let count = bytes.count
            while index < count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    // The next quote that no odd run of backslashes escapes (the run stops at
                    // the opening quote at the latest).
                    var escaped = true
                    while escaped {
                        guard let quote = memchr(base + index + 1, Int32(UInt8(ascii: "\"")), count - index - 1) else { return deepest }
                        index = base.distance(to: quote)
                        var backslashes = 0
                        while bytes[index - 1 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
                        escaped = backslashes % 2 == 1
                    }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    deepest = max(deepest, depth)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                index += 1
            }
            return deepest
        }
    }

    /// A JSON string literal's value, or nil when it is not a valid one.
    static func decodeString(_ literal: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed)) as? String
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// The index just after the string that starts at `start` (its opening quote).
    private static func skipString(_ bytes: [UInt8], _ start: Int) throws(Malformed) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        throw Malformed(offset: start, reason: "a string does not end")
    }

    /// The index just after the value that starts at `start`: strings and literals directly,
    /// arrays and objects by counting brackets outside strings.
    private static func skipValue(_ bytes: [UInt8], _ start: Int) throws(Malformed) -> Int {
        guard start < bytes.count else { throw Malformed(offset: start, reason: "expected a value") }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return try skipString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index = try skipString(bytes, index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            throw Malformed(offset: start, reason: "a value does not end")
        default:
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D]
                .contains(bytes[index]) {
                index += 1
            }
            guard index > start else { throw Malformed(offset: start, reason: "expected a value") }
            return index
        }
    }
}
