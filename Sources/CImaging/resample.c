// The resampling kernels, written once and compiled twice: for AVX with FMA where the CPU has
// them (chosen at run time), and for the baseline x86-64 (or any other) target otherwise.
#include <stddef.h>
#include "CImaging.h"

typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef float v4f __attribute__((vector_size(16), aligned(4)));

#define BLOCK 64

// Measured on the photo benchmark: 256 floats (64 pixels) beat 64, 128, 512, 1024 and whole rows.
#define STRIP 256

static inline __attribute__((always_inline))
void vertical_body(const float *in, size_t stride, cimg_axis axis, float *out) {
    // Column strips of STRIP floats: the few source rows one output row reads, and the next
    // output row reads again, stay in the L1 cache instead of streaming whole rows from L2.
    for (size_t strip = 0; strip < stride; strip += STRIP) {
        size_t end = strip + STRIP < stride ? strip + STRIP : stride;
        for (int row = 0; row < axis.outputs; row++) {
            const float *weights = axis.weights + (size_t)row * axis.taps;
            const float *first = in + (size_t)axis.start[row] * stride;
            float *target = out + (size_t)row * stride;
            int count = axis.count[row];
            // 64 floats at a time held in eight registers across every tap, then stored once:
            // eight independent chains of multiply-adds hide the FMA latency.
            for (size_t x = strip; x < end; x += BLOCK) {
                v8f a[8] = {{0}};
                const float *source = first + x;
                for (int tap = 0; tap < count; tap++, source += stride) {
                    float w = weights[tap];
                    for (int i = 0; i < 8; i++) a[i] += *(const v8f *)(source + 8 * i) * w;
                }
                for (int i = 0; i < 8; i++) *(v8f *)(target + x + 8 * i) = a[i];
            }
        }
    }
}

typedef int v4i __attribute__((vector_size(16), aligned(4)));

static inline __attribute__((always_inline))
int pack_pixel(v4f value) {
    const v4f low = {0, 0, 0, 0}, high = {255, 255, 255, 255}, half = {0.5f, 0.5f, 0.5f, 0.5f};
    value = __builtin_elementwise_min(__builtin_elementwise_max(value + half, low), high);
    v4i channel = __builtin_convertvector(value, v4i);
    return channel[0] << 16 | channel[1] << 8 | channel[2];
}

/// Stores one output pixel as floats, as a libgd pixel, or both.
static inline __attribute__((always_inline))
void put(float *floats, int *pixels, int x, v4f value) {
    if (floats) *(v4f *)(floats + x * 4) = value;
    if (pixels) pixels[x] = pack_pixel(value);
}

// The two halves of an 8-float sum added: a macro, since a function taking a 32-byte vector
// by value has a different ABI with and without AVX, which the baseline build warns about.
#define HALVES(sum) ((v4f){(sum)[0], (sum)[1], (sum)[2], (sum)[3]} + (v4f){(sum)[4], (sum)[5], (sum)[6], (sum)[7]})

static inline __attribute__((always_inline))
void horizontal_body(const float *in, size_t stride, int height, cimg_axis axis,
                     const float *expanded, float *out, size_t out_stride, int *const *packed) {
    // Two rows at a time, so each weight loaded serves both; two taps (a pair of pixels) a
    // step, unrolled twice: four independent sums per output.
    for (int y = 0; y < height; y += 2) {
        int second = y + 1 < height;
        const float *rowA = in + (size_t)y * stride;
        const float *rowB = second ? rowA + stride : rowA;
        float *floatsA = out ? out + (size_t)y * out_stride : NULL;
        float *floatsB = out && second ? floatsA + out_stride : NULL;
        int *pixelsA = packed ? packed[y] : NULL;
        int *pixelsB = packed && second ? packed[y + 1] : NULL;
        for (int x = 0; x < axis.outputs; x++) {
            size_t offset = (size_t)axis.start[x] * 4;
            const float *a = rowA + offset, *b = rowB + offset;
            const float *weights = expanded + (size_t)x * axis.taps * 4;
            int count = axis.count[x], tap = 0;
            v8f a0 = {0}, a1 = {0}, b0 = {0}, b1 = {0};
            for (; tap + 4 <= count; tap += 4) {
                v8f w0 = *(const v8f *)(weights + tap * 4), w1 = *(const v8f *)(weights + tap * 4 + 8);
                a0 += *(const v8f *)(a + tap * 4) * w0;
                a1 += *(const v8f *)(a + tap * 4 + 8) * w1;
                b0 += *(const v8f *)(b + tap * 4) * w0;
                b1 += *(const v8f *)(b + tap * 4 + 8) * w1;
            }
            for (; tap < count; tap += 2) {
                v8f w0 = *(const v8f *)(weights + tap * 4);
                a0 += *(const v8f *)(a + tap * 4) * w0;
                b0 += *(const v8f *)(b + tap * 4) * w0;
            }
            v8f sumA = a0 + a1;
            put(floatsA, pixelsA, x, HALVES(sumA));
            v8f sumB = b0 + b1;
            if (second) put(floatsB, pixelsB, x, HALVES(sumB));
        }
        for (size_t x = (size_t)axis.outputs * 4; x < out_stride; x++) {
            if (floatsA) floatsA[x] = 0;
            if (floatsB) floatsB[x] = 0;
        }
    }
}

__attribute__((target("avx,fma")))
static void vertical_avx(const float *in, size_t stride, cimg_axis axis, float *out) {
    vertical_body(in, stride, axis, out);
}

void cimg_resample_vertical_generic(const float *in, size_t stride, cimg_axis axis, float *out) {
    vertical_body(in, stride, axis, out);
}

__attribute__((target("avx,fma")))
static void horizontal_avx(const float *in, size_t stride, int height, cimg_axis axis,
                           const float *expanded, float *out, size_t out_stride, int *const *packed) {
    horizontal_body(in, stride, height, axis, expanded, out, out_stride, packed);
}

void cimg_resample_horizontal_generic(const float *in, size_t stride, int height, cimg_axis axis,
                                      const float *expanded, float *out, size_t out_stride, int *const *packed) {
    horizontal_body(in, stride, height, axis, expanded, out, out_stride, packed);
}

int cimg_uses_avx(void) {
#if defined(__x86_64__)
    // Both workers may ask first; they compute the same answer, stored atomically.
    static int answer = -1;
    int known = __atomic_load_n(&answer, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
        __atomic_store_n(&answer, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return 0;
#endif
}

void cimg_resample_vertical(const float *in, size_t stride, cimg_axis axis, float *out) {
    if (cimg_uses_avx()) vertical_avx(in, stride, axis, out);
    else cimg_resample_vertical_generic(in, stride, axis, out);
}

void cimg_resample_horizontal(const float *in, size_t stride, int height, cimg_axis axis,
                              const float *expanded, float *out, size_t out_stride, int *const *packed) {
    if (cimg_uses_avx()) horizontal_avx(in, stride, height, axis, expanded, out, out_stride, packed);
    else cimg_resample_horizontal_generic(in, stride, height, axis, expanded, out, out_stride, packed);
}
