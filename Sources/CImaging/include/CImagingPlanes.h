#ifndef AVATAR_SITE_CIMAGING_PLANES_H
#define AVATAR_SITE_CIMAGING_PLANES_H

// A JPEG photo as JPEG keeps it: a luma plane and two chroma planes at their own resolution,
// decoded, cropped, turned, resampled and encoded without ever becoming RGB.

#include <stddef.h>

/// Per-thread scratch memory for one photo: `cimg_scratch_reset` at the start of a photo makes
/// every earlier allocation of this thread invalid and keeps the memory for the next photo, so
/// a worker allocates its buffers once, not per photo. Allocations are 64-byte aligned and
/// uninitialised; NULL when memory runs out.
void cimg_scratch_reset(void);
void *cimg_scratch_alloc(size_t bytes);
/// Where the arena stands, and a return to it: what was allocated since is free again, in the
/// block photos reuse and in blocks of its own alike. For a buffer needed only during one step.
typedef struct {
    size_t used;
    size_t overflowed;
} cimg_scratch_mark_t;
cimg_scratch_mark_t cimg_scratch_mark(void);
void cimg_scratch_release(cimg_scratch_mark_t mark);
/// Bytes this thread's arena holds for reuse (for tests and the benchmark).
size_t cimg_scratch_capacity(void);

/// A decoded JPEG's planes (8-bit samples), in the thread's scratch memory.
typedef struct {
    int width, height;
    /// 1 (grayscale) or 3 (Y, Cb, Cr).
    int components;
    /// Luma samples per chroma sample across and down (1 or 2 each).
    int h_factor, v_factor;
    /// Each plane's own size: chroma is ceil(width / h_factor) x ceil(height / v_factor).
    int plane_width[3], plane_height[3];
    const unsigned char *plane[3];
    size_t stride[3];
} cimg_jpeg_planes;

/// Decodes a baseline or progressive, Huffman-coded, 8-bit grayscale or YCbCr JPEG into its
/// planes, with libjpeg's raw-data interface. Returns 1 when decoded, 0 when the photo is of
/// another kind (CMYK, RGB, arithmetic coding, 12-bit, unusual sampling) and must be decoded the
/// general way, -1 when libjpeg failed. `message` receives libjpeg's error, or its first warning
/// when it warned and still decoded, as libgd reports it; empty otherwise.
int cimg_decode_jpeg_planes(const unsigned char *data, size_t size, cimg_jpeg_planes *out, char *message,
                            size_t message_capacity);

/// The floats a plane row of `width` samples takes: at least eight zeros past the width, so a
/// kernel may read eight at a time, and a multiple of 64 (`CIMG_STRIDE_ALIGN`).
size_t cimg_plane_stride(int width);

/// Copies the `width` x `height` rectangle at (`left`, `top`) of 8-bit samples into floats,
/// turned upright as EXIF `orientation` (1–8) says (5–8 swap the sides), padding each row with
/// zeros to `out_stride`.
void cimg_plane_to_float(const unsigned char *plane, size_t stride, int left, int top, int width, int height,
                         int orientation, float *out, size_t out_stride);

/// Every sample of `width` x `height` float rows set to `value`, padding zeroed.
void cimg_plane_fill(float *out, size_t stride, int width, int height, float value);

/// Resamples each of `height` rows of single floats along the horizontal axis into rows of
/// `out_stride` floats, padding zeroed. `padded` holds each output's weights at `padded_taps`
/// (a multiple of 8) apart, zero past its count. The vertical pass is `cimg_resample_vertical`,
/// which works on rows of any kind.
void cimg_resample_plane_horizontal(const float *in, size_t stride, int height, const int *start, const int *count,
                                    int outputs, const float *padded, int padded_taps, float *out, size_t out_stride);
void cimg_resample_plane_horizontal_generic(const float *in, size_t stride, int height, const int *start,
                                            const int *count, int outputs, const float *padded, int padded_taps,
                                            float *out, size_t out_stride);

/// The same pass as the vertical one between two transposes: the rows turned into columns, each
/// column resampled as rows are (`cimg_resample_vertical`, every tap a run of fused multiply-adds
/// across eight rows at once), and turned back, sixty-four rows at a time so that a strip's
/// buffers stay in the L2 cache. The transposes cost less than the sums across a row. `width` is
/// the samples of each input row; `fastest` 0 runs the baseline build. Its two buffers come from
/// the scratch memory and go back to it; returns 0 when they could not be had.
int cimg_resample_plane_horizontal_transposed(const float *in, size_t stride, int width, int height, cimg_axis axis,
                                              float *out, size_t out_stride, int fastest);

/// One plane of float samples to encode; `pixels` NULL stands for a plane of 128 (no colour).
typedef struct {
    const float *pixels;
    size_t stride;
    int width, height;
} cimg_float_plane;

/// Encodes `components` planes (1: grayscale, 3: YCbCr, 4: CMYK) of a `width` x `height` image
/// as a JPEG at `quality`, straight from the planes (libjpeg's raw-data interface), each plane
/// sampled as `h_samp`/`v_samp` say (2, 2, 1, 1, 1, 1 is 4:2:0 and each plane must then be
/// ceil(width * h / max h) x ceil(height * v / max v)). Samples are rounded and clamped.
/// Returns a buffer to release with `cimg_free` and its length in `size`, or NULL.
unsigned char *cimg_encode_jpeg_planes(const cimg_float_plane *planes, int components, const int *h_samp,
                                       const int *v_samp, int width, int height, int quality, int optimize,
                                       int progressive, unsigned long *size);

/// Converts a luma plane of `side` x `side` and chroma planes of ceil(side / 2) square (JPEG's
/// 4:2:0 with centred chroma; NULL for grayscale) into libgd true-colour rows, chroma
/// interpolated as libjpeg's fancy upsampling does.
void cimg_planes_to_rows(const float *luma, size_t luma_stride, const float *cb, const float *cr, size_t chroma_stride,
                         int side, int *const *rows);

#endif
