import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
    /// Whether the faults make this user's photo answer 401.
    func isUnauthorizedPhoto(_ key: String) -> Bool {
        let refused = configuration.faults.unauthorizedPhotoUsers
        guard !refused.isEmpty else { return false }
        return refused.contains("*") || user(key: key).map { refused.contains($0.id) } ?? false
    }

    func photoMetadata(userID: String, size: String?) -> DemoAnswer {
        guard let user = user(key: userID) else { return Self.userNotFound(userID) }
        switch user.photo {
        case .none:
            return Self.imageNotFound()
        case .oneByOne:
            return Self.json(.ok, ["@odata.mediaContentType": "image/gif", "@odata.mediaEtag": "", "id": "1X1",
                                   "width": 1, "height": 1])
        case .portrait, .raw:
            guard let (width, height) = Self.servedSize(of: user.photo, requested: size) else { return Self.imageNotFound() }
            return Self.json(.ok, metadata(user, width: width, height: height))
        }
    }

    func photoCollection(userID: String) -> DemoAnswer {
        guard let user = user(key: userID) else { return Self.userNotFound(userID) }
        guard let (width, height) = user.photo.largestSize else { return Self.json(.ok, ["value": [Any]()]) }
        var sizes = Self.graphSides.filter { $0 < min(width, height) }.map { (width: $0, height: $0) }
        sizes.append((width, height))
        return Self.json(.ok, ["value": sizes.map { metadata(user, width: $0.width, height: $0.height) }])
    }

    func photoValue(userID: String, size: String?) -> DemoAnswer {
        guard let user = user(key: userID) else { return Self.userNotFound(userID) }
        guard let (width, height) = Self.servedSize(of: user.photo, requested: size) else { return Self.imageNotFound() }
        let bytes: Data
        switch user.photo {
        case .portrait(let variant, _, _): bytes = Self.studio.jpeg(variant: variant, width: width, height: height)
        case .raw(let data, _, _): bytes = data
        case .none, .oneByOne: return Self.imageNotFound()
        }
        if shouldTruncatePhoto("\(user.id)/\(size ?? "")") {
            count("fault_truncated")
            return .dropped(promising: bytes.count, part: bytes.prefix(bytes.count / 2), contentType: "image/jpeg")
        }
        if configuration.faults.stalledPhotoUsers.contains(user.id) {
            count("fault_stalled")
            stalledArrivals.withLock { $0.append(.now) }
            return .stalled(promising: bytes.count, part: bytes.prefix(16), contentType: "image/jpeg",
                            trickle: configuration.faults.trickle)
        }
        if configuration.faults.hugeErrorUsers.contains(user.id) {
            count("fault_huge_error")
            let code = String(repeating: "Bad\u{1B}[31m\r\n", count: configuration.faults.hugeErrorCodeBytes / 10)
            return Self.graphError(.badRequest, code, String(repeating: "x\u{07}", count: 1000))
        }
        return .bytes(.ok, bytes, contentType: "image/jpeg", headers: ["ETag": etag(user)])
    }

    func metadata(_ user: DemoUser, width: Int, height: Int) -> [String: Any] {
        ["@odata.mediaContentType": "image/jpeg", "@odata.mediaEtag": etag(user), "id": "\(width)X\(height)",
         "width": width, "height": height]
    }

    /// Stands for the photo's version: it changes when the photo does.
    func etag(_ user: DemoUser) -> String {
        switch user.photo {
        case .portrait(let variant, let width, let height): "W/\"\(String(variant, radix: 16))\(width)\(height)\""
        case .raw(let data, _, _): "W/\"\(String(data.count, radix: 16))-\(String(data.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }, radix: 16))\""
        case .none, .oneByOne: ""
        }
    }

    static let graphSides = [48, 64, 96, 120, 240, 360, 432, 504, 648]

    /// The size `/photos/{size}` serves for this photo: the largest, or a smaller HD size.
    static func servedSize(of photo: DemoPhoto, requested: String?) -> (Int, Int)? {
        guard let (width, height) = photo.largestSize else { return nil }
        guard let requested else { return (width, height) }
        let parts = requested.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        if parts[0] == width && parts[1] == height { return (width, height) }
        guard parts[0] == parts[1], graphSides.contains(parts[0]), parts[0] < min(width, height) else { return nil }
        return (parts[0], parts[1])
    }
}
