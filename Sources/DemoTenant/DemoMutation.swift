/// Changes to the synthetic directory between two builds, as a night in a real one brings:
/// new photos, renames, people joining and leaving. The same numbers give the same changes.
public struct DemoMutation: Sendable, Equatable {
    /// Users whose photo is replaced by another (a new ETag and new bytes).
    public var changedPhotos = 0
    /// Users whose name changes (and so their initials).
    public var renamed = 0
    /// New users, added at the end.
    public var added = 0
    /// Users who leave, taken from the end.
    public var removed = 0

    public init(changedPhotos: Int = 0, renamed: Int = 0, added: Int = 0, removed: Int = 0) {
        self.changedPhotos = changedPhotos
        self.renamed = renamed
        self.added = added
        self.removed = removed
    }

    /// The directory after the changes. Changed and renamed users are spread across the list.
    func apply(to users: [DemoUser], seed: UInt64) -> [DemoUser] {
        var users = Array(users.dropLast(min(removed, users.count)))
        // Changes land on enabled users, so that every one of them is seen by a build.
        let enabled = users.indices.filter { users[$0].accountEnabled }
        let photoUsers = enabled.filter { if case .portrait = users[$0].photo { true } else { false } }
        for index in Self.spread(changedPhotos, over: photoUsers) {
            if case .portrait(let variant, let width, let height) = users[index].photo {
                users[index].photo = .portrait(variant: variant + 1, width: width, height: height)
            }
        }
        for (number, index) in Self.spread(renamed, over: enabled).enumerated() {
            users[index].fields["givenName"] = "Renamed"
            users[index].fields["surname"] = "Person\(number)"
            users[index].fields["displayName"] = "Renamed Person\(number)"
        }
        // Newcomers join the teams of people already there.
        var newcomers = DemoDirectory.users(count: added, seed: seed ^ 0xADD_ED00)
        for (newcomer, colleague) in zip(newcomers.indices, Self.spread(added, over: enabled)) where users[colleague].manager != nil {
            let department = users[colleague].fields["department"] ?? ""
            newcomers[newcomer].manager = users[colleague].manager
            newcomers[newcomer].fields["department"] = department
            newcomers[newcomer].fields["jobTitle"] = DemoOrganisation.contributorTitles[department]?.first ?? "Specialist"
        }
        return users + newcomers
    }

    /// `count` positions taken evenly from `indices`.
    static func spread(_ count: Int, over indices: [Int]) -> [Int] {
        guard count > 0, !indices.isEmpty else { return [] }
        let step = max(1, indices.count / count)
        return Array(stride(from: 0, to: indices.count, by: step).prefix(count).map { indices[$0] })
    }
}
