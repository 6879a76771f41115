/// The one rule for a value from site.yml or the directory that is written into a generated
/// file (the host configs, the Pages rules, the sync scripts, the maps, the page): what it may
/// hold there.
///
/// Checked scalar by scalar, never by `Character`: `"\r\n"` is one `Character`, and so is `'`
/// followed by a combining acute accent, so a check that compares `Character`s lets both
/// through into a shell script or an nginx config.
public enum GeneratedFileValue {
    /// Where a value is written, each with the characters that would end or escape it there.
    public enum Destination: Sendable, CaseIterable {
        /// Inside `"…"` in nginx: a quote or backslash ends or escapes it, `$` names a variable,
        /// and `;` and braces are kept out so the value never reads as a directive.
        case nginxQuoted
        /// Inside `'…'` in a shell script: only a quote ends it.
        case shellSingleQuoted
        /// A path in nginx's `include`, which nginx expands as a glob: `*`, `?` and `[` would
        /// include other files, or silently none.
        case nginxIncludePath
        /// One line of a file read line by line (`_headers`, comments in the configs, the maps):
        /// only a line break ends it, and control characters are refused everywhere.
        case line

        /// The characters this destination cannot hold, beside the control characters.
        var metacharacters: [Unicode.Scalar] {
            switch self {
            case .nginxQuoted: ["\"", "\\", "$", ";", "{", "}", "`"]
            case .shellSingleQuoted: ["'"]
            case .nginxIncludePath: ["*", "?", "["]
            case .line: []
            }
        }
    }

    /// Line breaks and control characters: C0, DEL, C1 (NEL, U+0085, among them), and the
    /// line and paragraph separators. None is ever written into a generated file.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Why `value` cannot be written into every one of `destinations`, or nil when it can.
    public static func problem(with value: String, in destinations: [Destination]) -> String? {
        if let control = value.unicodeScalars.first(where: isControl) {
            return "must not contain control characters or line breaks (found \(describe(control)))"
        }
        for scalar in value.unicodeScalars {
            for destination in destinations where destination.metacharacters.contains(scalar) {
                return "must not contain \(describe(scalar)): \(destination.refusal)"
            }
        }
        return nil
    }

    /// `U+000D`, or the character itself with its code when it is printable.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return isControl(scalar) ? code : "\(scalar) (\(code))"
    }
}

extension GeneratedFileValue.Destination {
    /// Why a metacharacter is refused here, for the error.
    var refusal: String {
        switch self {
        case .nginxQuoted: "the host configs cannot quote it (quotes, backslashes, $, ;, braces and backticks are refused)"
        case .shellSingleQuoted: "the sync scripts cannot quote it (a single quote is refused)"
        case .nginxIncludePath: "nginx reads the path in its include lines as a pattern (*, ? and [ are refused)"
        case .line: "it would end a line of the generated files"
        }
    }
}
