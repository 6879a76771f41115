public import Foundation

/// A metrics file for node_exporter's textfile collector (or a Pushgateway): written whole or
/// not at all, through a hidden temporary file in the same folder that the collector, reading
/// only `*.prom`, never sees half-written.
public enum MetricsFile {
    /// Writes `exposition` to `url`, creating its folder when missing.
    /// - Throws: `SiteError` when the file cannot be written.
    public static func write(_ exposition: MetricsExposition, to url: URL) throws(SiteError) {
        try AtomicFile.write(Data(exposition.text.utf8), to: url)
    }

    /// The Unix time `metric` (a sample without labels) holds in the metrics file at `url`; nil
    /// when there is no such file, sample or time (0 means none).
    public static func timestamp(_ metric: String, in url: URL) -> Date? {
        guard let data = FileManager.default.contents(atPath: url.path), data.count <= 1 << 20 else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2, words[0] == metric, let seconds = Double(words[1]), seconds.isFinite, seconds > 0 else { continue }
            return Date(timeIntervalSince1970: seconds)
        }
        return nil
    }
}

extension BuildMetrics {
    /// Writes the metrics of a build's outcome to `url`, carrying the last success over from the
    /// file there when this build did not publish.
    /// - Parameter exitCode: the process's exit code when it differs from the outcome's own.
    public static func record(_ outcome: Result<BuildReport, any Error>, exitCode: Int32? = nil, to url: URL,
                              at now: Date) throws(SiteError) {
        let metrics = BuildMetrics(outcome: outcome, exitCode: exitCode, finishedAt: now,
                                   previousSuccess: MetricsFile.timestamp(lastSuccessMetric, in: url))
        try MetricsFile.write(metrics.exposition, to: url)
    }
}

extension UploadMetrics {
    /// Writes the metrics of an upload to `url`, carrying the last success over from the file
    /// there when this run did not succeed.
    public static func record(_ report: UploadReport?, exitCode: Int32, seconds: Double?, to url: URL, at now: Date) throws(SiteError) {
        let metrics = UploadMetrics(report: report, exitCode: exitCode, seconds: seconds, finishedAt: now,
                                    previousSuccess: MetricsFile.timestamp(lastSuccessMetric, in: url))
        try MetricsFile.write(metrics.exposition, to: url)
    }
}
