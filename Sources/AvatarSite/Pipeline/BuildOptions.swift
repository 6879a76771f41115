public import Foundation

/// How one run of a build behaves, apart from what site.yml says.
public struct BuildOptions: Sendable {
    /// Publish even when more users would be removed than `output.max_deletions` allows.
    public var allowDeletions = false
    /// Also write the report here.
    public var reportFile: URL?
    /// Build every user again, ignoring what the last build left in its state.
    public var full = false
    public var progress: ProgressReporter?
    /// What the output's file system can do; found out as the build goes unless given.
    public var fileSystem = FileSystemSupport()

    public init(allowDeletions: Bool = false, reportFile: URL? = nil, full: Bool = false, progress: ProgressReporter? = nil,
                fileSystem: FileSystemSupport = FileSystemSupport()) {
        self.allowDeletions = allowDeletions
        self.reportFile = reportFile
        self.full = full
        self.progress = progress
        self.fileSystem = fileSystem
    }
}
