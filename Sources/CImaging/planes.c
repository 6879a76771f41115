// Planes of float samples: the scratch memory they live in, the copy from decoded 8-bit planes
// (cropped and turned upright on the way), and the conversion to RGB where one is needed.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "CImaging.h"

// One block per thread, reused photo after photo. What does not fit in it goes into blocks of
// its own, freed when released or at the next reset, which then grows the block to the most
// the photo held at once.
struct overflow {
    struct overflow *next;
    size_t bytes;
};

struct arena {
    unsigned char *base;
    size_t capacity, used;
    // Bytes in overflow blocks, and the most this photo has held at once.
    size_t overflowed, peak;
    struct overflow *overflows;
};

static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void free_overflows(struct arena *arena) {
    while (arena->overflows) {
        struct overflow *next = arena->overflows->next;
        free(arena->overflows);
        arena->overflows = next;
    }
    arena->overflowed = 0;
}

static void free_arena(void *pointer) {
    struct arena *arena = pointer;
    free_overflows(arena);
    free(arena->base);
    free(arena);
}

static void make_key(void) {
    pthread_key_create(&arena_key, free_arena);
}

static struct arena *thread_arena(void) {
    pthread_once(&arena_once, make_key);
    struct arena *arena = pthread_getspecific(arena_key);
    if (arena == NULL) {
        arena = calloc(1, sizeof(struct arena));
        if (arena != NULL) pthread_setspecific(arena_key, arena);
    }
    return arena;
}

#define ALIGNMENT 64

void cimg_scratch_reset(void) {
    struct arena *arena = thread_arena();
    if (arena == NULL) return;
    free_overflows(arena);
    if (arena->peak > arena->capacity) {
        free(arena->base);
        size_t capacity = (arena->peak + 4095) & ~(size_t)4095;
        arena->base = aligned_alloc(ALIGNMENT, capacity);
        arena->capacity = arena->base ? capacity : 0;
    }
    arena->used = 0;
    arena->peak = 0;
}

void *cimg_scratch_alloc(size_t bytes) {
    struct arena *arena = thread_arena();
    if (arena == NULL) return NULL;
    bytes = (bytes + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    void *result;
    if (arena->used + bytes <= arena->capacity) {
        result = arena->base + arena->used;
        arena->used += bytes;
    } else {
        struct overflow *block = aligned_alloc(ALIGNMENT, ALIGNMENT + bytes);
        if (block == NULL) return NULL;
        block->next = arena->overflows;
        block->bytes = bytes;
        arena->overflows = block;
        arena->overflowed += bytes;
        result = (unsigned char *)block + ALIGNMENT;
    }
    size_t held = arena->used + arena->overflowed;
    if (held > arena->peak) arena->peak = held;
    return result;
}

cimg_scratch_mark_t cimg_scratch_mark(void) {
    struct arena *arena = thread_arena();
    return arena ? (cimg_scratch_mark_t){arena->used, arena->overflowed} : (cimg_scratch_mark_t){0, 0};
}

void cimg_scratch_release(cimg_scratch_mark_t mark) {
    struct arena *arena = thread_arena();
    if (arena == NULL) return;
    if (mark.used <= arena->used) arena->used = mark.used;
    // Blocks of their own are a stack, newest first: free those made since the mark, or a
    // first photo, which overflows in everything, would count every step's buffers as held
    // at once and size the block for all of them.
    while (arena->overflows != NULL && arena->overflowed > mark.overflowed) {
        struct overflow *next = arena->overflows->next;
        arena->overflowed -= arena->overflows->bytes;
        free(arena->overflows);
        arena->overflows = next;
    }
}

size_t cimg_scratch_capacity(void) {
    struct arena *arena = thread_arena();
    return arena ? arena->capacity : 0;
}

size_t cimg_plane_stride(int width) {
    size_t floats = (size_t)width + 8;
    return (floats + CIMG_STRIDE_ALIGN - 1) / CIMG_STRIDE_ALIGN * CIMG_STRIDE_ALIGN;
}

void cimg_plane_to_float(const unsigned char *plane, size_t stride, int left, int top, int width, int height,
                         int orientation, float *out, size_t out_stride) {
    const unsigned char *origin = plane + (size_t)top * stride + left;
    ptrdiff_t row_step = (ptrdiff_t)stride;
    int transposed = orientation >= 5 && orientation <= 8;
    int out_width = transposed ? height : width, out_height = transposed ? width : height;
    for (int y = 0; y < out_height; y++) {
        // Where output row y starts in the source, and how far one step along it moves there
        // (the same mapping as cimg_orient).
        const unsigned char *first;
        ptrdiff_t step;
        switch (orientation) {
        case 2: first = origin + y * row_step + (width - 1); step = -1; break;
        case 3: first = origin + (height - 1 - y) * row_step + (width - 1); step = -1; break;
        case 4: first = origin + (height - 1 - y) * row_step; step = 1; break;
        case 5: first = origin + y; step = row_step; break;
        case 6: first = origin + (height - 1) * row_step + y; step = -row_step; break;
        case 7: first = origin + (height - 1) * row_step + (width - 1 - y); step = -row_step; break;
        case 8: first = origin + (width - 1 - y); step = row_step; break;
        default: first = origin + y * row_step; step = 1; break;
        }
        float *target = out + (size_t)y * out_stride;
        if (step == 1) {
            for (int x = 0; x < out_width; x++) target[x] = first[x];
        } else {
            for (int x = 0; x < out_width; x++) target[x] = first[x * step];
        }
        memset(target + out_width, 0, (out_stride - (size_t)out_width) * sizeof(float));
    }
}

void cimg_plane_fill(float *out, size_t stride, int width, int height, float value) {
    for (int y = 0; y < height; y++) {
        float *row = out + (size_t)y * stride;
        for (int x = 0; x < width; x++) row[x] = value;
        memset(row + width, 0, (stride - (size_t)width) * sizeof(float));
    }
}

static inline int clamped_byte(float value) {
    int rounded = (int)(value + 0.5f + 256.0f) - 256;  // rounds half up, also below zero
    return rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
}

// A chroma row of the 4:2:0 geometry interpolated to luma resolution: luma x sits at chroma
// (x + 0.5) / 2 - 0.5, so it takes 3/4 of its own sample and 1/4 of its neighbour's.
static void upsampled_row(const float *above, const float *below, float near, int chroma_width, int side, float *out) {
    for (int x = 0; x < side; x++) {
        int own = x / 2, other = x % 2 ? own + 1 : own - 1;
        if (other < 0) other = 0;
        if (other >= chroma_width) other = chroma_width - 1;
        float column_own = near * above[own] + (1 - near) * below[own];
        float column_other = near * above[other] + (1 - near) * below[other];
        out[x] = 0.75f * column_own + 0.25f * column_other;
    }
}

void cimg_planes_to_rows(const float *luma, size_t luma_stride, const float *cb, const float *cr, size_t chroma_stride,
                         int side, int *const *rows) {
    int chroma_side = (side + 1) / 2;
    int colour = cb != NULL && cr != NULL;
    float *blue = colour ? malloc(sizeof(float) * (size_t)side * 2) : NULL;
    if (colour && blue == NULL) return;
    float *red = colour ? blue + side : NULL;
    for (int y = 0; y < side; y++) {
        const float *ys = luma + (size_t)y * luma_stride;
        int *target = rows[y];
        if (!colour) {
            for (int x = 0; x < side; x++) {
                int v = clamped_byte(ys[x]);
                target[x] = v << 16 | v << 8 | v;
            }
            continue;
        }
        int own = y / 2, other = y % 2 ? own + 1 : own - 1;
        if (other < 0) other = 0;
        if (other >= chroma_side) other = chroma_side - 1;
        upsampled_row(cb + (size_t)own * chroma_stride, cb + (size_t)other * chroma_stride, 0.75f, chroma_side, side, blue);
        upsampled_row(cr + (size_t)own * chroma_stride, cr + (size_t)other * chroma_stride, 0.75f, chroma_side, side, red);
        for (int x = 0; x < side; x++) {
            float l = ys[x], b = blue[x] - 128, r = red[x] - 128;
            int R = clamped_byte(l + 1.402f * r);
            int G = clamped_byte(l - 0.344136286f * b - 0.714136286f * r);
            int B = clamped_byte(l + 1.772f * b);
            target[x] = R << 16 | G << 8 | B;
        }
    }
    free(blue);
}
