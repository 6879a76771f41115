// Between libgd's true-colour rows (0x7FRRGGBB, alpha 127 = transparent) and float pixels.
#include <string.h>
#include "CImaging.h"
#include "flatten.h"
#include "orient.h"

size_t cimg_stride(int width) {
    size_t floats = ((size_t)width + 1) * 4;
    return (floats + CIMG_STRIDE_ALIGN - 1) / CIMG_STRIDE_ALIGN * CIMG_STRIDE_ALIGN;
}

void cimg_rows_to_float(const int *const *rows, int side, float *out, size_t stride) {
    for (int y = 0; y < side; y++) {
        const int *source = rows[y];
        float *target = out + (size_t)y * stride;
        for (int x = 0; x < side; x++) {
            int pixel = source[x];
            target[x * 4] = (float)((pixel >> 16) & 0xFF);
            target[x * 4 + 1] = (float)((pixel >> 8) & 0xFF);
            target[x * 4 + 2] = (float)(pixel & 0xFF);
            target[x * 4 + 3] = 0;
        }
        memset(target + (size_t)side * 4, 0, (stride - (size_t)side * 4) * sizeof(float));
    }
}

void cimg_square_to_rows(const int *const *rows, int left, int top, int side, int factor,
                         int flatten, int matte, int *const *out) {
    if (factor <= 1) {
        for (int y = 0; y < side; y++) {
            const int *source = rows[top + y] + left;
            if (!flatten) {
                for (int x = 0; x < side; x++) out[y][x] = source[x] & 0xFFFFFF;
            } else {
                for (int x = 0; x < side; x++) out[y][x] = cimg_flattened(source[x], matte);
            }
        }
        return;
    }
    // Each output pixel is the mean of a factor x factor block; the sums of a row of blocks
    // are gathered one source row at a time, so the source is read in order.
    int out_side = side / factor, area = factor * factor;
    unsigned int sums[3 * 4096];
    for (int y = 0; y < out_side; y++) {
        for (int x0 = 0; x0 < out_side; x0 += 4096) {
            int count = out_side - x0 < 4096 ? out_side - x0 : 4096;
            memset(sums, 0, sizeof(unsigned int) * 3 * (size_t)count);
            for (int dy = 0; dy < factor; dy++) {
                const int *source = rows[top + y * factor + dy] + left + x0 * factor;
                for (int x = 0; x < count; x++) {
                    for (int dx = 0; dx < factor; dx++) {
                        int pixel = source[x * factor + dx];
                        if (flatten) pixel = cimg_flattened(pixel, matte);
                        sums[x * 3] += (pixel >> 16) & 0xFF;
                        sums[x * 3 + 1] += (pixel >> 8) & 0xFF;
                        sums[x * 3 + 2] += pixel & 0xFF;
                    }
                }
            }
            for (int x = 0; x < count; x++) {
                unsigned int half = (unsigned int)area / 2;
                out[y][x0 + x] = (int)(((sums[x * 3] + half) / area) << 16 | ((sums[x * 3 + 1] + half) / area) << 8 |
                                       ((sums[x * 3 + 2] + half) / area));
            }
        }
    }
}

void cimg_fill_rows(int *const *rows, int width, int height, int color) {
    for (int y = 0; y < height; y++) {
        int *row = rows[y];
        for (int x = 0; x < width; x++) row[x] = color;
    }
}

void cimg_composite_mask(int *const *rows, int left, int top, int width, int height,
                         const unsigned char *mask, int color) {
    for (int y = 0; y < height; y++) {
        int *row = rows[top + y] + left;
        const unsigned char *coverage = mask + (size_t)y * width;
        for (int x = 0; x < width; x++) {
            int amount = coverage[x];
            if (amount == 0) continue;
            int under = row[x], result = 0;
            for (int shift = 0; shift <= 16; shift += 8) {
                int a = (under >> shift) & 0xFF, b = (color >> shift) & 0xFF;
                result |= ((a * (255 - amount) + b * amount + 127) / 255) << shift;
            }
            row[x] = result;
        }
    }
}

int cimg_ink_box(const int *const *rows, int width, int height, int threshold, int box[4]) {
    int left = width, top = height, right = -1, bottom = -1;
    for (int y = 0; y < height; y++) {
        const int *row = rows[y];
        int first = -1, last = -1;
        for (int x = 0; x < width; x++) {
            if (((row[x] >> 16) & 0xFF) > threshold) {
                if (first < 0) first = x;
                last = x;
            }
        }
        if (first < 0) continue;
        if (first < left) left = first;
        if (last > right) right = last;
        if (top == height) top = y;
        bottom = y;
    }
    if (right < 0) return 0;
    box[0] = left;
    box[1] = top;
    box[2] = right;
    box[3] = bottom;
    return 1;
}

void cimg_orient(const int *const *rows, int width, int height, int orientation, int *const *out) {
    int transposed = cimg_orientation_transposes(orientation);
    int out_width = transposed ? height : width, out_height = transposed ? width : height;
    for (int y = 0; y < out_height; y++) {
        int *target = out[y];
        for (int x = 0; x < out_width; x++) {
            int sx, sy;
            cimg_oriented_source(x, y, width, height, orientation, &sx, &sy);
            target[x] = rows[sy][sx];
        }
    }
}
