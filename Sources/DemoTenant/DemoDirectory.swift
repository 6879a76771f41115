import Foundation

/// The demo tenant's synthetic users: the same list for the same seed, on every machine.
public enum DemoDirectory {
    /// Largest photo sizes, weighted toward 648x648 as in a real tenant; the last two are
    /// non-square Entra ID photos that the tool must crop.
    static let photoSizes: [(width: Int, height: Int, weight: Int)] = [
        (648, 648, 50), (504, 504, 12), (432, 432, 8), (360, 360, 8), (240, 240, 8), (120, 120, 4),
        (720, 540, 5), (400, 600, 5),
    ]

    /// `count` users, about 70% with a photo, a few with their account disabled, in an
    /// organisation (`DemoOrganisation`) whose top is the first.
    public static func users(count: Int, seed: UInt64) -> [DemoUser] {
        var users = unorganisedUsers(count: count, seed: seed)
        DemoOrganisation.organise(&users, seed: seed)
        return users
    }

    private static func unorganisedUsers(count: Int, seed: UInt64) -> [DemoUser] {
        var random = SplitMix64(seed: seed)
        let cultureWeights = DemoNames.cultures.map(\.weight)
        let sizeWeights = photoSizes.map(\.weight)
        return (0..<count).map { index in
            let culture = DemoNames.cultures[random.pick(weights: cultureWeights)]
            let given = culture.givenNames[random.below(culture.givenNames.count)]
            let surname = culture.surnames[random.below(culture.surnames.count)]
            let local = String(format4: index)
            var fields = [
                "displayName": DemoNames.fullName(given: given, surname: surname, format: culture.format),
                "givenName": given,
                "surname": surname,
                "userPrincipalName": "user\(local)@contoso.example",
                "mail": "user\(local)@contoso.example",
                "jobTitle": DemoNames.jobTitles[random.below(DemoNames.jobTitles.count)],
                "department": DemoNames.departments[random.below(DemoNames.departments.count)],
                "officeLocation": DemoNames.offices[random.below(DemoNames.offices.count)],
                "mobilePhone": "+1 555 01\(String(format4: random.below(10_000)))",
            ]
            if random.below(10) == 0 { fields["givenName"] = nil; fields["surname"] = nil }
            let photo: DemoPhoto
            switch random.below(100) {
            case 0..<70:
                let size = photoSizes[random.pick(weights: sizeWeights)]
                photo = .portrait(variant: random.below(1 << 16), width: size.width, height: size.height)
            case 70..<76:
                photo = .oneByOne
            default:
                photo = .none
            }
            return DemoUser(id: random.guid(), fields: fields, accountEnabled: random.below(40) != 0, photo: photo)
        }
    }
}

extension DemoDirectory {
    /// Users built to attack the tool. None of them may crash a build or escape the output folder.
    public static func hostileUsers() -> [DemoUser] {
        let jpeg = DemoTenant.studio.jpeg(variant: 3, width: 240, height: 240)
        var bomb = [UInt8](jpeg)
        // Rewrite the start-of-frame to claim 40000x40000 pixels: 1.6 gigapixels behind a few KB.
        if let sof = (2..<bomb.count - 9).first(where: { bomb[$0] == 0xFF && bomb[$0 + 1] == 0xC0 }) {
            bomb.replaceSubrange(sof + 5..<sof + 9, with: [0x9C, 0x40, 0x9C, 0x40])
        }
        let fields = { (name: String) in ["displayName": name, "mail": "hostile@contoso.example"] }
        return [
            DemoUser(id: "../../escape", fields: fields("Path Traversal"), photo: .portrait(variant: 1, width: 120, height: 120)),
            DemoUser(id: "a/b", fields: fields("Slash Id"), photo: .none),
            DemoUser(id: "nul\u{0}id", fields: fields("Nul Id"), photo: .none),
            DemoUser(id: String(repeating: "x", count: 300), fields: fields("Long Id"), photo: .none),
            DemoUser(id: "hostile-script", fields: fields("<script>alert('pwned')</script>"), photo: .none),
            DemoUser(id: "hostile-html-photo", fields: fields("Html Photo"),
                     photo: .raw(Data("<html><body>Sign in</body></html>".utf8), width: 648, height: 648)),
            DemoUser(id: "hostile-pixel-bomb", fields: fields("Pixel Bomb"), photo: .raw(Data(bomb), width: 648, height: 648)),
            DemoUser(id: "hostile-truncated", fields: fields("Truncated Photo"),
                     photo: .raw(jpeg.prefix(jpeg.count / 2), width: 240, height: 240)),
        ]
    }
}

extension DemoDirectory {
    /// Users whose photos and names test the memory a build needs: a 24-megapixel PNG, a
    /// 65,000x1 PNG, a Hangul syllable followed by 10,000 jamo and a letter under 5,000
    /// combining marks (each one grapheme).
    public static func hugeUsers() -> [DemoUser] {
        let fields = { (name: String) in ["displayName": name, "mail": "huge@contoso.example"] }
        return [
            DemoUser(id: "huge-24mpx-png", fields: fields("Twenty Four"),
                     photo: .raw(DemoTenant.studio.png(width: 6000, height: 4000), width: 6000, height: 4000)),
            DemoUser(id: "huge-65000x1-png", fields: fields("Long Line"),
                     photo: .raw(DemoTenant.studio.png(width: 65_000, height: 1), width: 65_000, height: 1)),
            DemoUser(id: "huge-jamo-name", fields: ["displayName": "가" + String(repeating: "\u{1161}", count: 10_000)], photo: .none),
            DemoUser(id: "huge-combining-name", fields: ["displayName": "Z" + String(repeating: "\u{0301}", count: 5_000) + " Ya"],
                     photo: .none),
        ]
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    mutating func pick(weights: [Int]) -> Int {
        var roll = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    /// An object id shaped like Entra ID's.
    mutating func guid() -> String {
        let hex = String(next(), radix: 16).leftPadded(to: 16) + String(next(), radix: 16).leftPadded(to: 16)
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }
}

extension String {
    init(format4 value: Int) {
        self = String(value).leftPadded(to: 4)
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
