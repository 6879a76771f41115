import AvatarSite
public import AvatarSiteContract

/// The site's size that answers a Gravatar request for `s` pixels: the smallest at or above it,
/// else the largest. A client scales down a little; it never gets a blurry enlargement it did
/// not ask for, unless it asks for more than the site has.
public enum GravatarSize {
    /// nil only when the site has no sizes.
    public static func answering(_ requested: Int, from sizes: [PhotoSize]) -> PhotoSize? {
        let ascending = sizes.sorted()
        return ascending.first { $0.side >= requested } ?? ascending.last
    }
}
