#ifndef AVATAR_SITE_CIMAGING_H
#define AVATAR_SITE_CIMAGING_H

#include <stddef.h>

/// Pixels are four floats (red, green, blue, unused) in rows of `stride` floats. A row holds
/// at least one pixel of zeros past its width, and `stride` is a multiple of
/// `CIMG_STRIDE_ALIGN`, so the kernels may read whole blocks without bounds checks.
#define CIMG_STRIDE_ALIGN 64

/// The floats a row of `width` pixels takes, padding included.
size_t cimg_stride(int width);

/// Copies the `side` x `side` square at (`left`, `top`) of libgd true-colour rows into other
/// rows, `factor` times smaller (each output pixel the mean of a `factor` x `factor` block;
/// the output is `side / factor` square). With `flatten`, each pixel is composited over `matte`
/// (0xRRGGBB) by its alpha; otherwise alpha is dropped, as a JPEG has none.
void cimg_square_to_rows(const int *const *rows, int left, int top, int side, int factor,
                         int flatten, int matte, int *const *out);

/// Converts `side` x `side` opaque libgd true-colour rows into float pixels, padding zeroed.
void cimg_rows_to_float(const int *const *rows, int side, float *out, size_t stride);

/// Copies `width` x `height` libgd true-colour rows into `out` turned upright as EXIF
/// `orientation` (1–8) says: 2–4 mirror or turn half way, 5–8 also swap the sides, so `out`
/// is `height` x `width` for them.
void cimg_orient(const int *const *rows, int width, int height, int orientation, int *const *out);

/// Sets every pixel of `width` x `height` libgd true-colour rows to `color`. libgd's filled
/// rectangle calls gdImageSetPixel for each pixel, which showed as a fifth of drawing a
/// placeholder.
void cimg_fill_rows(int *const *rows, int width, int height, int color);

/// Paints `color` (0xRRGGBB) through an 8-bit coverage mask of `width` x `height` onto libgd
/// true-colour rows at (`left`, `top`): each pixel moves toward `color` by its coverage.
void cimg_composite_mask(int *const *rows, int left, int top, int width, int height,
                         const unsigned char *mask, int color);

/// The smallest box (left, top, right, bottom, inclusive) holding every pixel whose red channel
/// exceeds `threshold`; returns 0 when there is none.
int cimg_ink_box(const int *const *rows, int width, int height, int threshold, int box[4]);

/// Filter taps along one axis: output `i` reads `count[i]` inputs from `start[i]` with weights
/// `weights[i * taps ...]`. `taps` is even and greater than any count, and a weight past
/// `count[i]` is zero, so the horizontal kernel can read taps in pairs.
typedef struct {
    int outputs;
    int taps;
    const int *start;
    const int *count;
    const float *weights;
} cimg_axis;

/// Resamples float rows along the vertical axis: `vertical.outputs` rows of `stride` floats
/// into `out` (same stride). The bulk of the work; every row is a run of fused multiply-adds.
void cimg_resample_vertical(const float *in, size_t stride, cimg_axis vertical, float *out);

/// Resamples each of `height` float rows along the horizontal axis into rows of `out_stride`
/// floats (padding zeroed), into libgd true-colour rows (rounded and clamped), or both; either
/// destination may be NULL. `expanded` holds each weight of `horizontal` four times over, so a
/// tap multiplies a whole pixel.
void cimg_resample_horizontal(const float *in, size_t stride, int height, cimg_axis horizontal,
                              const float *expanded, float *out, size_t out_stride, int *const *packed);

/// The same kernels compiled for the baseline target, which the two above fall back to; public
/// so the two builds can be compared.
void cimg_resample_vertical_generic(const float *in, size_t stride, cimg_axis vertical, float *out);
void cimg_resample_horizontal_generic(const float *in, size_t stride, int height, cimg_axis horizontal,
                                      const float *expanded, float *out, size_t out_stride, int *const *packed);

/// Encodes `width` x `height` libgd true-colour rows as a baseline JPEG (4:2:0, libjpeg's
/// defaults at `quality`), with optimised Huffman tables when `optimize` is non-zero. Returns a
/// buffer to release with `cimg_free` and its length in `size`, or NULL if libjpeg failed.
unsigned char *cimg_encode_jpeg(int *const *rows, int width, int height, int quality, int optimize,
                                unsigned long *size);

/// The `width` x `height` region of libgd true-colour rows at (`left`, `top`) as the same
/// baseline JPEG, turned upright by its EXIF `orientation` (1-8) and composited over `matte`
/// when `flatten` is set: a crop of a large photo encoded without copying it.
unsigned char *cimg_encode_jpeg_region(const int *const *rows, int left, int top, int width, int height, int orientation,
                                       int flatten, int matte, int quality, int optimize, unsigned long *size);

void cimg_free(void *buffer);

/// Raises glibc's mmap and trim thresholds, so freed pixel buffers stay in the heap for the
/// next image instead of being unmapped and faulted in again, and limits the arenas to one per
/// core, so the retained buffers do not multiply. Process-wide.
void cimg_keep_large_buffers_in_heap(void);

/// 1 when the kernels run on AVX and FMA, 0 on the SSE2 fallback.
int cimg_uses_avx(void);

#include "CImagingPlanes.h"

#endif
