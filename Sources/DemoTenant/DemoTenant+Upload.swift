import CGD
import Foundation
import Hummingbird
import HTTPTypes
import Synchronization

extension DemoTenant {
    /// Graph's limit on a photo's bytes.
    static let maxUploadBytes = 4 * 1024 * 1024

    /// `PUT`/`PATCH /users/{id | upn}/photo/$value`: a JPEG or PNG of at most 4 MB that decodes
    /// becomes the user's photo, with a new ETag, served from then on.
    func setPhoto(key: String, method: HTTPRequest.Method, body: Data) -> DemoAnswer {
        count(method == .patch ? "photo_patch" : "photo_put")
        guard let user = user(key: key) else { return Self.userNotFound(key) }
        return store(body, for: user)
    }

    /// `PATCH Users('{address}')/photo/$value`, the Outlook REST API's way.
    func setPhoto(outlookKey route: [String], method: HTTPRequest.Method, body: Data) -> DemoAnswer {
        count(method == .patch ? "photo_patch" : "photo_put")
        guard route.count == 3, let address = Self.odataKey(route[0], entitySet: "Users"), route[1] == "photo",
              route[2] == "$value"
        else { return Self.graphError(.badRequest, "ErrorInvalidUrlQuery", "Unsupported segment") }
        guard let user = user(key: address) else {
            return Self.graphError(.notFound, "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.")
        }
        return store(body, for: user)
    }

    private func store(_ body: Data, for user: DemoUser) -> DemoAnswer {
        guard body.count <= Self.maxUploadBytes else {
            return Self.graphError(.contentTooLarge, "RequestEntityTooLarge", "The photo is larger than 4 MB.")
        }
        guard let (width, height) = Self.decodedSize(body) else {
            return Self.graphError(.badRequest, "ErrorInvalidImage", "The photo is not a valid image.")
        }
        uploadedPhotos.withLock { $0[user.id] = .raw(body, width: width, height: height) }
        return .bytes(.ok, Data(), contentType: "text/plain")
    }

    /// Width and height of a JPEG or PNG that libgd decodes, or nil.
    static func decodedSize(_ data: Data) -> (Int, Int)? {
        data.withUnsafeBytes { raw -> (Int, Int)? in
            let bytes = UnsafeMutableRawPointer(mutating: raw.baseAddress)
            let image: gdImagePtr? = data.starts(with: [0x89, 0x50, 0x4E, 0x47])
                ? gdImageCreateFromPngPtr(Int32(raw.count), bytes) : gdImageCreateFromJpegPtr(Int32(raw.count), bytes)
            guard let image else { return nil }
            defer { gdImageDestroy(image) }
            return (Int(image.pointee.sx), Int(image.pointee.sy))
        }
    }
}
