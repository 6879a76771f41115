import Foundation

/// The entropy-coded data after a JPEG's start-of-scan segment, where 0xFF is always followed
/// by a stuffed 0x00 or a restart marker; any other marker ends it.
enum JPEGEntropyData {
    /// The index of the marker that ends the entropy-coded data starting at `start`, or the
    /// last byte's index when no marker follows (a truncated JPEG). Most of a photo is entropy-
    /// coded data: its 0xFF bytes are found with `memchr` rather than by reading every byte.
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var index = start
        while index + 1 < bytes.count {
            // A marker's 0xFF is never the last byte: its second byte must follow.
            guard let found = memchr(base + index, 0xFF, bytes.count - 1 - index) else { return bytes.count - 1 }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let next = bytes[index + 1]
            if next != 0x00, !(0xD0...0xD7).contains(next) { return index }
            index += 1
        }
        return index
    }
}
