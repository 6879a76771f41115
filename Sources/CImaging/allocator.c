#include <stdlib.h>  // defines __GLIBC__ on glibc
#include <unistd.h>
#include "CImaging.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void cimg_keep_large_buffers_in_heap(void) {
#if defined(__GLIBC__)
    // 32 MiB is the largest threshold glibc accepts; trimming only past twice that.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    // Every arena keeps its own freed buffers: glibc's default of eight per core let the peak
    // grow with the length of the build (136 MiB at 10,000 users against 101 MiB at 1,000);
    // one per core held it at 116 against 98.
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    mallopt(M_ARENA_MAX, cores < 2 ? 2 : (int)cores);
#endif
}
