import Foundation
import HummingbirdCore
import NIOCore

extension ResponseBody {
    /// Small enough that writing one completes soon after the client reads, so that the send
    /// timeout measures the client, not the size of the file.
    static let chunkSize = 64 << 10

    /// `data`, written a chunk at a time, each once the connection has taken the ones before.
    static func chunks(of data: Data) -> ResponseBody {
        guard data.count > chunkSize else { return ResponseBody(byteBuffer: ByteBuffer(bytes: data)) }
        return ResponseBody(contentLength: data.count) { writer in
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(start + chunkSize, data.endIndex)
                try await writer.write(ByteBuffer(bytes: data[start..<end]))
                start = end
            }
            try await writer.finish(nil)
        }
    }
}
