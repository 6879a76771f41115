/// The tool's version, kept here only: `avatar-site --version`, the build reports and the
/// `User-Agent` of every request read it.
public enum AvatarSiteVersion {
    public static let current = "0.9.0"

    /// `avatar-site/0.9.0`: lets a tenant's sign-in and audit logs tell this tool's requests apart.
    public static var userAgent: String { "avatar-site/\(current)" }
}
