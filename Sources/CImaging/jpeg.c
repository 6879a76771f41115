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

// The output buffer is ours, not libjpeg's (jpeg_mem_dest frees and replaces its buffer as it
// grows and reports it only at the end), so an error at any point frees exactly what exists.
struct encoder {
    struct jpeg_error_mgr errors;
    struct jpeg_destination_mgr destination;
    jmp_buf jump;
    unsigned char *buffer;
    size_t capacity;
    // One row composited over the matte, when the rows are see-through.
    int *flat_row;
};

static struct encoder *encoder_of(j_compress_ptr info) {
    return (struct encoder *)info->client_data;
}

static void leave(j_common_ptr info) {
    longjmp(((struct encoder *)info->client_data)->jump, 1);
}

static void quiet(j_common_ptr info, int level) {
    (void)info;
    (void)level;
}

static void start_buffer(j_compress_ptr info) {
    struct encoder *encoder = encoder_of(info);
    encoder->destination.next_output_byte = encoder->buffer;
    encoder->destination.free_in_buffer = encoder->capacity;
}

static boolean grow_buffer(j_compress_ptr info) {
    struct encoder *encoder = encoder_of(info);
    size_t used = encoder->capacity;
    unsigned char *larger = realloc(encoder->buffer, encoder->capacity * 2);
    if (larger == NULL) ERREXIT1(info, JERR_OUT_OF_MEMORY, 0);
    encoder->buffer = larger;
    encoder->capacity *= 2;
    encoder->destination.next_output_byte = larger + used;
    encoder->destination.free_in_buffer = encoder->capacity - used;
    return TRUE;
}

static void finish_buffer(j_compress_ptr info) {
    (void)info;
}

unsigned char *cimg_encode_jpeg(int *const *rows, int width, int height, int quality, int optimize,
                                unsigned long *size) {
    return cimg_encode_jpeg_region((const int *const *)rows, 0, 0, width, height, 1, 0, 0, quality, optimize, size);
}

unsigned char *cimg_encode_jpeg_region(const int *const *rows, int left, int top, int width, int height, int orientation,
                                       int flatten, int matte, int quality, int optimize, unsigned long *size) {
    struct jpeg_compress_struct info;
    // On the heap, so what grow_buffer changes is still there after a longjmp.
    struct encoder *const encoder = calloc(1, sizeof(struct encoder));
    if (encoder == NULL) return NULL;
    encoder->capacity = (size_t)width * (size_t)height / 4 + 4096;
    encoder->buffer = malloc(encoder->capacity);
    unsigned char *result = NULL;
    if (encoder->buffer == NULL) goto done;
    int turned = orientation >= 2 && orientation <= 8;
    int out_width = cimg_orientation_transposes(orientation) ? height : width;
    int out_height = cimg_orientation_transposes(orientation) ? width : height;
    if (flatten || turned) {
        encoder->flat_row = malloc((size_t)out_width * sizeof(int));
        if (encoder->flat_row == NULL) {
            free(encoder->buffer);
            goto done;
        }
    }
    info.err = jpeg_std_error(&encoder->errors);
    encoder->errors.error_exit = leave;
    encoder->errors.emit_message = quiet;
    info.client_data = encoder;
    if (setjmp(encoder->jump)) {
        jpeg_destroy_compress(&info);
        free(encoder->buffer);
        goto done;
    }
    jpeg_create_compress(&info);
    info.client_data = encoder;
    encoder->destination.init_destination = start_buffer;
    encoder->destination.empty_output_buffer = grow_buffer;
    encoder->destination.term_destination = finish_buffer;
    info.dest = &encoder->destination;
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
    *size = encoder->capacity - encoder->destination.free_in_buffer;
    jpeg_destroy_compress(&info);
    result = encoder->buffer;
done:
    free(encoder->flat_row);
    free(encoder);
    return result;
}

void cimg_free(void *buffer) {
    free(buffer);
}
