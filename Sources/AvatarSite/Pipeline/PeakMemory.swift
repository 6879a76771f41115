import Foundation

extension BuildPipeline {
    /// The build's own peak resident memory: `VmHWM`, the high-water mark of this process's
    /// memory since it was executed. `getrusage`'s `ru_maxrss` is not: Linux carries it across
    /// `exec`, so a build started by a large process (a test runner, a scheduler's agent)
    /// would report that process's peak.
    static func peakMemoryBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kibibytes * 1024
        }
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return usage.ru_maxrss * 1024  // Linux reports KiB
    }
}
