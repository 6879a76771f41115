/// FNV-1a, 64 bits: a hash that is the same in every process and on every machine, unlike
/// `Hashable.hashValue`, so a user keeps their colour from one night to the next.
enum StableHash {
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
