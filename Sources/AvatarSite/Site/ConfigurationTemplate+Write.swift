public import AvatarSiteContract
public import Foundation

extension ConfigurationTemplate {
    /// Writes the template for `kind` as `folder/site.yml`, creating the folder if needed. An
    /// existing file is never replaced: the text goes to a temporary file that is then linked
    /// under the final name, which fails if that name exists, even if it appeared a moment ago.
    /// - Returns: the file written.
    /// - Throws: `SiteError` when the file exists or cannot be written.
    @discardableResult
    public static func write(for kind: SourceConfiguration.Kind, in folder: URL) throws(SiteError) -> URL {
        let file = folder.appendingPathComponent(fileName)
        let refusal = "already exists; init never overwrites it (edit it, or move it away first)"
        if FileManager.default.fileExists(atPath: file.path) { throw SiteError(path: file.path, reason: refusal) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SiteError(path: folder.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent("\(AtomicFile.temporaryPrefix)init-\(getpid())")
        try FileWriter.write(Data(text(for: kind).utf8), to: temporary, durable: true)
        defer { _ = unlink(temporary.path) }
        guard link(temporary.path, file.path) == 0 else {
            let reason = errno == EEXIST ? refusal : String(cString: strerror(errno))
            throw SiteError(path: file.path, reason: reason)
        }
        return file
    }
}
