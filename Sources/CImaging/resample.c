// The resampling kernels, written once and compiled twice: for AVX with FMA where the CPU has
// them (chosen at run time), and for the baseline x86-64 (or any other) target otherwise.
#include <stddef.h>
#include "CImaging.h"

typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef float v4f __attribute__((vector_size(16), aligned(4)));

#define BLOCK 64

static inline __attribute__((always_inline))
void vertical_body(const float *in, size_t stride, cimg_axis axis, float *out) {
    for (int row = 0; row < axis.outputs; row++) {
        const float *weights = axis.weights + (size_t)row * axis.taps;
        const float *first = in + (size_t)axis.start[row] * stride;
        float *target = out + (size_t)row * stride;
        int count = axis.count[row];
        // 64 floats at a time held in eight registers across every tap, then stored once: eight
        // independent chains of multiply-adds keep both FMA units busy despite their latency.
        for (size_t x = 0; x < stride; x += BLOCK) {
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

static inline __attribute__((always_inline))
void horizontal_body(const float *in, size_t stride, int height, cimg_axis axis,
                     const float *expanded, float *out, size_t out_stride, int *const *packed) {
    for (int y = 0; y < height; y++) {
        const float *row = in + (size_t)y * stride;
        float *target = out ? out + (size_t)y * out_stride : NULL;
        int *pixels = packed ? packed[y] : NULL;
        // Two outputs at a time, two taps (a pair of pixels) a step each: four independent sums.
        int x = 0;
        for (; x + 1 < axis.outputs; x += 2) {
            const float *first = row + (size_t)axis.start[x] * 4;
            const float *second = row + (size_t)axis.start[x + 1] * 4;
            const float *w0 = expanded + (size_t)x * axis.taps * 4;
            const float *w1 = w0 + (size_t)axis.taps * 4;
            int c0 = axis.count[x], c1 = axis.count[x + 1];
            int common = c0 < c1 ? c0 : c1;
            v8f s0 = {0}, s1 = {0}, t0 = {0}, t1 = {0};
            int tap = 0;
            for (; tap + 4 <= common; tap += 4) {
                s0 += *(const v8f *)(first + tap * 4) * *(const v8f *)(w0 + tap * 4);
                t0 += *(const v8f *)(first + tap * 4 + 8) * *(const v8f *)(w0 + tap * 4 + 8);
                s1 += *(const v8f *)(second + tap * 4) * *(const v8f *)(w1 + tap * 4);
                t1 += *(const v8f *)(second + tap * 4 + 8) * *(const v8f *)(w1 + tap * 4 + 8);
            }
            for (int rest = tap; rest < c0; rest += 2) s0 += *(const v8f *)(first + rest * 4) * *(const v8f *)(w0 + rest * 4);
            for (int rest = tap; rest < c1; rest += 2) s1 += *(const v8f *)(second + rest * 4) * *(const v8f *)(w1 + rest * 4);
            s0 += t0;
            s1 += t1;
            put(target, pixels, x, (v4f){s0[0], s0[1], s0[2], s0[3]} + (v4f){s0[4], s0[5], s0[6], s0[7]});
            put(target, pixels, x + 1, (v4f){s1[0], s1[1], s1[2], s1[3]} + (v4f){s1[4], s1[5], s1[6], s1[7]});
        }
        for (; x < axis.outputs; x++) {
            const float *source = row + (size_t)axis.start[x] * 4;
            const float *weights = expanded + (size_t)x * axis.taps * 4;
            v8f sum = {0};
            for (int tap = 0; tap < axis.count[x]; tap += 2) {
                sum += *(const v8f *)(source + tap * 4) * *(const v8f *)(weights + tap * 4);
            }
            put(target, pixels, x, (v4f){sum[0], sum[1], sum[2], sum[3]} + (v4f){sum[4], sum[5], sum[6], sum[7]});
        }
        if (target) for (size_t x = (size_t)axis.outputs * 4; x < out_stride; x++) target[x] = 0;
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
    static int answer = -1;
    if (answer < 0) {
        __builtin_cpu_init();
        answer = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
    }
    return answer;
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
