/// The keys of a user's entry in users.json that the tool writes itself, so that no directory
/// field may take them.
public enum UserEntryKeys {
    public static let reserved: Set<String> = ["id", "photo", "photos", "placeholder"]
}
