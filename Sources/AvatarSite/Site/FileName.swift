/// A name in a folder exactly as the file system holds it: bytes, which need not be UTF-8. It
/// reaches `openat`, `fstatat` and `unlinkat` as those bytes; a name repaired into a `String`
/// (U+FFFD for a stray byte) would name another file, or none.
struct FileName: Hashable, Sendable, CustomStringConvertible {
    /// The bytes with their terminating NUL, ready to pass as a C string.
    let cString: [CChar]

    init(_ name: String) {
        cString = Array(name.utf8CString)
    }

    /// `bytes` up to their first NUL, if any.
    init(bytes: some Sequence<UInt8>) {
        cString = bytes.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
    }

    private var bytes: [UInt8] { cString.dropLast().map { UInt8(bitPattern: $0) } }

    /// The name, when it is UTF-8 as every name a build writes is.
    var string: String? { String(validating: bytes, as: UTF8.self) }

    /// The name for messages and the state: a byte that is not UTF-8 shows as U+FFFD.
    var description: String { String(decoding: bytes, as: UTF8.self) }

    var isDotOrDotDot: Bool { cString == [46, 0] || cString == [46, 46, 0] }
}
