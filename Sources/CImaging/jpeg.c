// JPEG straight from libgd's rows: libgd's own writer copies every pixel through accessor
// calls into an RGB row first (a tenth of encoding a placeholder). libjpeg-turbo reads
// libgd's little-endian 0x00RRGGBB words directly as blue, green, red and a padding byte.
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <jerror.h>
#include "CImaging.h"
#include "flatten.h"
#include "orient.h"
#include "jpeg_output.h"

struct encoder {
    struct jpeg_error_mgr errors;
    struct cimg_jpeg_output output;
    jmp_buf jump;
    // One row composited over the matte, when the rows are see-through.
    int *flat_row;
};

static void leave(j_common_ptr info) {
    longjmp(((struct encoder *)info->client_data)->jump, 1);
}

unsigned char *cimg_encode_jpeg(int *const *rows, int width, int height, int quality, int optimize,
                                unsigned long *size) {
    return cimg_encode_jpeg_region((const int *const *)rows, 0, 0, width, height, 1, 0, 0, quality, optimize, size);
}

unsigned char *cimg_encode_jpeg_region(const int *const *rows, int left, int top, int width, int height, int orientation,
                                       int flatten, int matte, int quality, int optimize, unsigned long *size) {
    struct jpeg_compress_struct info;
    // On the heap, so what the output grows to is still there after a longjmp.
    struct encoder *const encoder = calloc(1, sizeof(struct encoder));
    if (encoder == NULL) return NULL;
    unsigned char *result = NULL;
    if (!cimg_jpeg_output_open(&encoder->output, (size_t)width * (size_t)height / 4 + 4096)) goto done;
    int turned = orientation >= 2 && orientation <= 8;
    int out_width = cimg_orientation_transposes(orientation) ? height : width;
    int out_height = cimg_orientation_transposes(orientation) ? width : height;
    if (flatten || turned) {
        encoder->flat_row = malloc((size_t)out_width * sizeof(int));
        if (encoder->flat_row == NULL) {
            free(encoder->output.buffer);
            goto done;
        }
    }
    info.err = jpeg_std_error(&encoder->errors);
    encoder->errors.error_exit = leave;
    encoder->errors.emit_message = cimg_jpeg_quiet;
    info.client_data = encoder;
    if (setjmp(encoder->jump)) {
        jpeg_destroy_compress(&info);
        free(encoder->output.buffer);
        goto done;
    }
    jpeg_create_compress(&info);
    info.client_data = encoder;
    cimg_jpeg_output_attach(&encoder->output, &info);
    info.image_width = (JDIMENSION)out_width;
    info.image_height = (JDIMENSION)out_height;
    info.input_components = 4;
    info.in_color_space = JCS_EXT_BGRX;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    info.optimize_coding = optimize ? TRUE : FALSE;
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        int y = (int)info.next_scanline;
        JSAMPROW row;
        if (turned) {
            // Each upright row gathers its pixels from a column or a reversed row of the region.
            for (int x = 0; x < out_width; x++) {
                int sx, sy;
                cimg_oriented_source(x, y, width, height, orientation, &sx, &sy);
                int pixel = rows[top + sy][left + sx];
                encoder->flat_row[x] = flatten ? cimg_flattened(pixel, matte) : pixel;
            }
            row = (JSAMPROW)encoder->flat_row;
        } else if (flatten) {
            const int *source = rows[top + y] + left;
            for (int x = 0; x < width; x++) encoder->flat_row[x] = cimg_flattened(source[x], matte);
            row = (JSAMPROW)encoder->flat_row;
        } else {
            // libjpeg reads the row and never writes it; its type is not const.
            row = (JSAMPROW)(uintptr_t)(rows[top + y] + left);
        }
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    *size = cimg_jpeg_output_size(&encoder->output);
    jpeg_destroy_compress(&info);
    result = encoder->output.buffer;
done:
    free(encoder->flat_row);
    free(encoder);
    return result;
}

void cimg_free(void *buffer) {
    free(buffer);
}
