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

void cimg_resample_plane_horizontal_generic(const float *in, size_t stride, int height, const int *start,
                                            const int *count, int outputs, const float *padded, int padded_taps,
                                            float *out, size_t out_stride) {
    plane_horizontal_body(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
}

void cimg_resample_plane_horizontal(const float *in, size_t stride, int height, const int *start, const int *count,
                                    int outputs, const float *padded, int padded_taps, float *out, size_t out_stride) {
    if (cimg_uses_avx()) plane_horizontal_avx(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
    else cimg_resample_plane_horizontal_generic(in, stride, height, start, count, outputs, padded, padded_taps, out, out_stride);
}
