public import Foundation
public import AvatarSiteContract

/// A photo file of an upload folder: `{userPrincipalName | mail | id}.{jpg,jpeg,png}`.
public struct UploadFile: Sendable, Equatable {
    /// The file's name in the folder.
    public var fileName: String
    /// Who it is for: the name without its extension.
    public var userName: String
    public var url: URL
}

/// Reads an upload folder: the photo files in it (names compared case-insensitively), and the
/// rest, which is left alone (a `notes.txt`, hidden files, the upload state).
public enum UploadFolder {
    public static let photoExtensions: Set<String> = ["jpg", "jpeg", "png"]

    public static func scan(_ folder: URL) throws(ConfigurationError) -> (files: [UploadFile], ignored: [String]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw ConfigurationError(keyPath: "", line: nil, reason: "cannot read the folder (\(error.localizedDescription))",
                                     file: folder.path)
        }
        var files = [UploadFile]()
        var ignored = [String]()
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let ext = url.pathExtension.lowercased()
            // lstat: a link is listed as the link it is, to be refused, not as what it points to.
            var status = stat()
            let exists = lstat(url.path, &status) == 0
            guard exists, status.st_mode & mode_t(S_IFMT) != mode_t(S_IFDIR), photoExtensions.contains(ext) else {
                ignored.append(name)
                continue
            }
            files.append(UploadFile(fileName: name, userName: String(name.dropLast(ext.count + 1)), url: url))
        }
        return (files, ignored)
    }
}
