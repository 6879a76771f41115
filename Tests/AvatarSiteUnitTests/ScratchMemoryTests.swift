import CImaging
import Foundation
import Testing

/// A value written by a thread before it signals, read after the wait.
private final class ThreadResult<T>: @unchecked Sendable {
    var value: T?
}

/// The per-thread scratch memory the planes live in.
@Suite struct ScratchMemoryTests {
    /// Runs `body` on a thread of its own, whose scratch memory starts empty.
    static func onFreshThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let result = ThreadResult<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result.value = body()
            done.signal()
        }
        thread.start()
        done.wait()
        return result.value!
    }

    /// Should size the reused block for the most a photo held at once, not for everything it
    /// allocated: steps that release their buffers while the block is still empty count once.
    @Test func growsToWhatAPhotoHeldAtOnce() {
        let megabyte = 1 << 20
        let capacity = Self.onFreshThread { () -> Int in
            cimg_scratch_reset()
            let kept = cimg_scratch_alloc(megabyte)
            for _ in 0..<4 {
                let mark = cimg_scratch_mark()
                _ = cimg_scratch_alloc(2 * megabyte)
                cimg_scratch_release(mark)
            }
            _ = kept
            cimg_scratch_reset()
            return cimg_scratch_capacity()
        }
        #expect(capacity >= 3 * megabyte && capacity < 3 * megabyte + 64 * 1024, "\(capacity)")
    }

    /// Should reuse the block once grown: a photo that fits allocates nothing of its own.
    @Test func keepsItsBlockWhenAPhotoFits() {
        let megabyte = 1 << 20
        let (before, after, reused) = Self.onFreshThread { () -> (Int, Int, Bool) in
            cimg_scratch_reset()
            _ = cimg_scratch_alloc(3 * megabyte)
            cimg_scratch_reset()
            let before = cimg_scratch_capacity()
            let first = cimg_scratch_alloc(megabyte)
            let mark = cimg_scratch_mark()
            let second = cimg_scratch_alloc(2 * megabyte)
            cimg_scratch_release(mark)
            let third = cimg_scratch_alloc(2 * megabyte)
            cimg_scratch_reset()
            return (before, cimg_scratch_capacity(), first != nil && second == third)
        }
        #expect(before >= 3 * megabyte && after == before && reused)
    }
}
