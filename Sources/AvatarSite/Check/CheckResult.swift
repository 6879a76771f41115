/// One line of `avatar-site check`: what was checked, whether it passed, what was found and,
/// when it failed, what to do about it.
public struct CheckResult: Codable, Sendable, Equatable {
    /// The check's name: `configuration`, `secret`, `token`, `users`, `photo`, `output`, `fonts`.
    public var check: String
    public var ok: Bool
    public var detail: String
    /// One sentence: how to fix it. Nil when the check passed, or was not run.
    public var fix: String?

    public init(check: String, ok: Bool, detail: String, fix: String? = nil) {
        self.check = check
        self.ok = ok
        self.detail = detail
        self.fix = fix
    }

    /// Whether the check was not run because one it depends on failed.
    public var wasSkipped: Bool { !ok && fix == nil }

    /// `✓ token: …`, `✗ token: … Fix: …`, or `– photo: not checked …` for a check left out.
    public var line: String {
        if ok { return "✓ \(check): \(detail)" }
        guard let fix else { return "– \(check): \(detail)" }
        return "✗ \(check): \(detail) Fix: \(fix)"
    }

    // Encoded with `fix: null` rather than without the key, so scripts can read every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(check, forKey: .check)
        try container.encode(ok, forKey: .ok)
        try container.encode(detail, forKey: .detail)
        try container.encode(fix, forKey: .fix)
    }
}
