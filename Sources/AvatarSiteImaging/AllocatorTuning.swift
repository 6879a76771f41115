import CImaging

/// Keeps the imaging's large buffers in the heap. glibc hands out blocks over its mmap threshold
/// as fresh pages and unmaps them on free; a photo allocates several megabytes of pixels and
/// frees them, so every photo paid for its pixels twice, once in page faults (a fifth of the CPU
/// in a profile) and once in kernel zeroing. With the threshold raised, freed pixel buffers are
/// reused by the next photo. The arenas are limited to one per core, so that memory is not
/// held many times over.
public enum AllocatorTuning {
    /// Call once, early, from an executable: it changes the whole process's allocator.
    public static func keepLargeBuffersInHeap() {
        cimg_keep_large_buffers_in_heap()
    }
}
