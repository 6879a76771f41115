/// Why a file is not uploaded, each with its own reason in the summary and the report.
public struct UploadRefusal: Error, Sendable, Equatable {
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// Not a JPEG or PNG by its bytes (an HTML page named `.jpg`).
        case notAnImage = "not_an_image"
        /// A JPEG or PNG that does not decode, or decodes only with damage.
        case corrupt
        /// Smaller than 48x48.
        case tooSmall = "too_small"
        /// More pixels than `imaging.max_pixels`.
        case tooManyPixels = "too_many_pixels"
        /// Over the 4 MB the service accepts (`--fit` makes it fit).
        case tooLarge = "too_large"
        /// Not a regular file: a symbolic link (wherever it points), a FIFO, a device, a socket.
        case notAFile = "not_a_file"
        /// The directory has no such user.
        case unknownUser = "unknown_user"
        /// Another file in the folder is for the same user.
        case duplicateUser = "duplicate_user"
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

extension UploadRefusal {
    /// Why a photo file could not be read within `limit` bytes.
    init(_ refusal: RegularFileReader.Refusal, limit: Int) {
        switch refusal {
        case .notAFile(let kind):
            self.init(.notAFile, "\(kind), not a regular file; not read")
        case .tooLarge(let size?):
            self.init(.tooLarge, "\(size) bytes is more than any photo; not read")
        case .tooLarge(nil):
            self.init(.tooLarge, "more than \(limit) bytes, more than any photo; not read further")
        case .unreadable(let reason):
            self.init(.notAnImage, "cannot read the file (\(reason))")
        }
    }
}
