import PropertyBased
import Testing
@testable import AvatarSiteImaging

/// Where a JPEG's entropy-coded data ends, found with `memchr`.
@Suite struct JPEGEntropyDataTests {
    /// Should end the data where reading it byte by byte does: at the first 0xFF followed by
    /// neither 0x00 nor a restart marker, else at the last byte, whatever the start.
    @Test func endsWhereAByteByByteReadingEnds() async {
        let pool: [UInt8] = [0xFF, 0xFF, 0x00, 0xD0, 0xD7, 0xD8, 0xD9, 0xC4, 0x12]
        let inputs = Gen.int(in: 0...(pool.count - 1)).array(of: 0...24).map { $0.map { pool[$0] } }
        await propertyCheck(count: 3000, input: inputs) { bytes in
            for start in 0...(bytes.count + 1) {
                var index = start
                while index + 1 < bytes.count {
                    if bytes[index] == 0xFF, bytes[index + 1] != 0x00, !(0xD0...0xD7).contains(bytes[index + 1]) { break }
                    index += 1
                }
                let found = bytes.withUnsafeBufferPointer { JPEGEntropyData.end(in: $0, from: start) }
                #expect(found == index, "\(bytes) from \(start)")
            }
        }
    }
}
