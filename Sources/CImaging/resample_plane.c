// The horizontal pass for planes of single samples, written once and compiled twice like the
// kernels of resample.c: for AVX with FMA where the CPU has them, and for the baseline target.
// Along a row of single samples, consecutive taps are consecutive floats: eight taps of one
// output multiply in one step, and the sums of four outputs are added across in one go.
#include <stddef.h>
#include <string.h>
#include "CImaging.h"

typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef float v4f __attribute__((vector_size(16), aligned(4)));

// Macros rather than functions: a function taking a 32-byte vector by value has a different ABI
// with and without AVX, which the baseline build warns about.
#define HALVES(s) ((v4f){(s)[0], (s)[1], (s)[2], (s)[3]} + (v4f){(s)[4], (s)[5], (s)[6], (s)[7]})
// Neighbours added pairwise within each half, as vhaddps does: applied twice to the sums of four
// outputs, each half holds the four outputs' partial sums in order.
#define PAIRS(a, b) (__builtin_shufflevector((a), (b), 0, 2, 8, 10, 4, 6, 12, 14) + __builtin_shufflevector((a), (b), 1, 3, 9, 11, 5, 7, 13, 15))

// The weighted sum for output `x` of rows a and b (which may be the same row).
#define DOT(x, sa, sb)                                                       \
    do {                                                                     \
        const float *wa = padded + (size_t)(x) * (size_t)padded_taps;        \
        const float *pa = rowA + start[x], *pb = rowB + start[x];            \
        for (int tap = 0, n = count[x]; tap < n; tap += 8) {                 \
            v8f w = *(const v8f *)(wa + tap);                                \
            sa += *(const v8f *)(pa + tap) * w;                              \
            sb += *(const v8f *)(pb + tap) * w;                              \
        }                                                                    \
    } while (0)

static inline __attribute__((always_inline))
void plane_horizontal_body(const float *in, size_t stride, int height, const int *start, const int *count, int outputs,
                           const float *padded, int padded_taps, float *out, size_t out_stride) {
    // Two rows at a time, so each weight loaded serves both.
    for (int y = 0; y < height; y += 2) {
        int second = y + 1 < height;
        const float *rowA = in + (size_t)y * stride;
        const float *rowB = second ? rowA + stride : rowA;
        float *outA = out + (size_t)y * out_stride;
        float *outB = second ? outA + out_stride : NULL;
        int x = 0;
        for (; x + 4 <= outputs; x += 4) {
            v8f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0};
            DOT(x, a0, b0);
            DOT(x + 1, a1, b1);
            DOT(x + 2, a2, b2);
            DOT(x + 3, a3, b3);
            v8f sumsA = PAIRS(PAIRS(a0, a1), PAIRS(a2, a3));
            *(v4f *)(outA + x) = HALVES(sumsA);
            if (outB) {
                v8f sumsB = PAIRS(PAIRS(b0, b1), PAIRS(b2, b3));
                *(v4f *)(outB + x) = HALVES(sumsB);
            }
        }
        for (; x < outputs; x++) {
            v8f a = {0}, b = {0};
            DOT(x, a, b);
            v4f ha = HALVES(a), hb = HALVES(b);
            outA[x] = ha[0] + ha[1] + ha[2] + ha[3];
            if (outB) outB[x] = hb[0] + hb[1] + hb[2] + hb[3];
        }
        memset(outA + outputs, 0, (out_stride - (size_t)outputs) * sizeof(float));
        if (outB) memset(outB + outputs, 0, (out_stride - (size_t)outputs) * sizeof(float));
    }
}

__attribute__((target("avx,fma")))
static void plane_horizontal_avx(const float *in, size_t stride, int height, const int *start, const int *count,
                                 int outputs, const float *padded, int padded_taps, float *out, size_t out_stride) {
    plane_horizontal_body(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
}

static void plane_horizontal_generic(const float *in, size_t stride, int height, const int *start, const int *count,
                                     int outputs, const float *padded, int padded_taps, float *out, size_t out_stride) {
    plane_horizontal_body(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
}

// Measured on one core (ns per output, dot products against transposes): 1.5 against 1.0 from
// 648 to 504, 2.5 against 1.5 to 240, even at 48. A handful of rows is not worth turning.
#define TRANSPOSE_FROM_ROWS 8

static void plane_horizontal(const float *in, size_t stride, int height, const int *start, const int *count, int outputs,
                             const float *padded, int padded_taps, float *out, size_t out_stride, int fastest) {
    if (height >= TRANSPOSE_FROM_ROWS) {
        int width = 0;
        for (int x = 0; x < outputs; x++) {
            if (start[x] + count[x] > width) width = start[x] + count[x];
        }
        // The padded weights are an axis whose taps are `padded_taps` apart.
        cimg_axis axis = {outputs, padded_taps, start, count, padded};
        if (cimg_resample_plane_horizontal_transposed(in, stride, width, height, axis, out, out_stride, fastest)) return;
    }
    if (fastest && cimg_uses_avx()) plane_horizontal_avx(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
    else plane_horizontal_generic(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
}

void cimg_resample_plane_horizontal_generic(const float *in, size_t stride, int height, const int *start,
                                            const int *count, int outputs, const float *padded, int padded_taps,
                                            float *out, size_t out_stride) {
    plane_horizontal(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride, 0);
}

void cimg_resample_plane_horizontal(const float *in, size_t stride, int height, const int *start, const int *count,
                                    int outputs, const float *padded, int padded_taps, float *out, size_t out_stride) {
    plane_horizontal(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride, 1);
}

// Eight rows of eight floats turned into eight columns, in registers.
static inline __attribute__((always_inline))
void transpose_block(const float *in, size_t in_stride, float *out, size_t out_stride) {
    v8f r0 = *(const v8f *)(in), r1 = *(const v8f *)(in + in_stride), r2 = *(const v8f *)(in + 2 * in_stride),
        r3 = *(const v8f *)(in + 3 * in_stride), r4 = *(const v8f *)(in + 4 * in_stride), r5 = *(const v8f *)(in + 5 * in_stride),
        r6 = *(const v8f *)(in + 6 * in_stride), r7 = *(const v8f *)(in + 7 * in_stride);
    v8f t0 = __builtin_shufflevector(r0, r1, 0, 8, 1, 9, 4, 12, 5, 13), t1 = __builtin_shufflevector(r0, r1, 2, 10, 3, 11, 6, 14, 7, 15);
    v8f t2 = __builtin_shufflevector(r2, r3, 0, 8, 1, 9, 4, 12, 5, 13), t3 = __builtin_shufflevector(r2, r3, 2, 10, 3, 11, 6, 14, 7, 15);
    v8f t4 = __builtin_shufflevector(r4, r5, 0, 8, 1, 9, 4, 12, 5, 13), t5 = __builtin_shufflevector(r4, r5, 2, 10, 3, 11, 6, 14, 7, 15);
    v8f t6 = __builtin_shufflevector(r6, r7, 0, 8, 1, 9, 4, 12, 5, 13), t7 = __builtin_shufflevector(r6, r7, 2, 10, 3, 11, 6, 14, 7, 15);
    v8f s0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13), s1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    v8f s2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13), s3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    v8f s4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13), s5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    v8f s6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13), s7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    *(v8f *)(out) = __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 8, 9, 10, 11);
    *(v8f *)(out + out_stride) = __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 8, 9, 10, 11);
    *(v8f *)(out + 2 * out_stride) = __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 8, 9, 10, 11);
    *(v8f *)(out + 3 * out_stride) = __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 8, 9, 10, 11);
    *(v8f *)(out + 4 * out_stride) = __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 12, 13, 14, 15);
    *(v8f *)(out + 5 * out_stride) = __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 12, 13, 14, 15);
    *(v8f *)(out + 6 * out_stride) = __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 12, 13, 14, 15);
    *(v8f *)(out + 7 * out_stride) = __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 12, 13, 14, 15);
}

// `rows` x `columns` floats into `columns` x `rows`, each output row zero past `rows`. Built
// without memset, which the zeroing loop below would otherwise become again.
#define NO_MEMSET __attribute__((no_builtin("memset")))

static inline __attribute__((always_inline)) NO_MEMSET
void transpose_body(const float *in, size_t in_stride, int rows, int columns, float *out, size_t out_stride) {
    int full_rows = rows & ~7, full_columns = columns & ~7;
    // The padding zeroed first, eight floats a store from the last whole block of rows (the
    // rows past it are written over next): a call to memset for each of hundreds of short
    // tails cost more than the zeros.
    const v8f zero = {0};
    for (int c = 0; c < columns; c++) {
        for (size_t r = (size_t)full_rows; r < out_stride; r += 8) *(v8f *)(out + (size_t)c * out_stride + r) = zero;
    }
    // Sixteen columns a pass down the rows, two blocks side by side: each 64-byte line of a
    // source row is read whole, where eight columns a pass read half of it and came back for
    // the other half once the rows between had pushed it out of the cache (10-35% less time
    // from 504 and 648 px in a harness around this file).
    int paired_columns = full_columns & ~15;
    for (int c = 0; c < paired_columns; c += 16) {
        for (int r = 0; r < full_rows; r += 8) {
            transpose_block(in + (size_t)r * in_stride + c, in_stride, out + (size_t)c * out_stride + r, out_stride);
            transpose_block(in + (size_t)r * in_stride + c + 8, in_stride, out + (size_t)(c + 8) * out_stride + r, out_stride);
        }
    }
    for (int c = paired_columns; c < full_columns; c += 8) {
        for (int r = 0; r < full_rows; r += 8) transpose_block(in + (size_t)r * in_stride + c, in_stride, out + (size_t)c * out_stride + r, out_stride);
    }
    for (int c = 0; c < full_columns; c += 8) {
        for (int r = full_rows; r < rows; r++) {
            for (int k = 0; k < 8; k++) out[(size_t)(c + k) * out_stride + (size_t)r] = in[(size_t)r * in_stride + (size_t)(c + k)];
        }
    }
    for (int c = full_columns; c < columns; c++) {
        for (int r = 0; r < rows; r++) out[(size_t)c * out_stride + (size_t)r] = in[(size_t)r * in_stride + (size_t)c];
    }
}

__attribute__((target("avx,fma"))) NO_MEMSET
static void transpose_avx(const float *in, size_t in_stride, int rows, int columns, float *out, size_t out_stride) {
    transpose_body(in, in_stride, rows, columns, out, out_stride);
}

NO_MEMSET static void transpose_generic(const float *in, size_t in_stride, int rows, int columns, float *out, size_t out_stride) {
    transpose_body(in, in_stride, rows, columns, out, out_stride);
}

// The rows are turned, resampled and turned back sixty-four at a time: what one strip of rows
// passes through (its columns, their resampled form, its output) stays in the L2 cache, where
// turning the whole plane at once sent every pass through L3 (10-40% less time in a harness
// around this file, bit-identical output). Sixty-four rows fill a kernel block exactly, so no
// padding is resampled.
#define STRIP_ROWS 64
_Static_assert(STRIP_ROWS % CIMG_STRIDE_ALIGN == 0, "the vertical kernel reads whole blocks of a row");

int cimg_resample_plane_horizontal_transposed(const float *in, size_t stride, int width, int height, cimg_axis axis,
                                              float *out, size_t out_stride, int fastest) {
    int avx = fastest && cimg_uses_avx();
    cimg_scratch_mark_t mark = cimg_scratch_mark();
    size_t across = STRIP_ROWS;
    float *columns = cimg_scratch_alloc((size_t)width * across * sizeof(float));
    float *resampled = cimg_scratch_alloc((size_t)axis.outputs * across * sizeof(float));
    if (columns == NULL || resampled == NULL) {
        cimg_scratch_release(mark);
        return 0;
    }
    for (int first = 0; first < height; first += STRIP_ROWS) {
        int rows = height - first < STRIP_ROWS ? height - first : STRIP_ROWS;
        const float *strip = in + (size_t)first * stride;
        float *target = out + (size_t)first * out_stride;
        if (avx) {
            transpose_avx(strip, stride, rows, width, columns, across);
            cimg_resample_vertical(columns, across, axis, resampled);
            transpose_avx(resampled, across, axis.outputs, rows, target, out_stride);
        } else {
            transpose_generic(strip, stride, rows, width, columns, across);
            cimg_resample_vertical_generic(columns, across, axis, resampled);
            transpose_generic(resampled, across, axis.outputs, rows, target, out_stride);
        }
    }
    cimg_scratch_release(mark);
    return 1;
}
