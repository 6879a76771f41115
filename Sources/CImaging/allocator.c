#include <stdlib.h>  // defines __GLIBC__ on glibc
#include "CImaging.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void cimg_keep_large_buffers_in_heap(void) {
#if defined(__GLIBC__)
    // 32 MiB is the largest threshold glibc accepts; trimming only past twice that.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}
