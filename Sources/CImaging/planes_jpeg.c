// JPEG to planes and back with libjpeg's raw-data interface: the decoder stops before it
// upsamples chroma and converts to RGB, the encoder starts after it would have converted and
// downsampled. Both steps, and the RGB between them, cost more than the DCTs of a small photo.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "CImaging.h"
#include "jpeg_output.h"

struct decoder {
    struct jpeg_error_mgr errors;  // first, so libjpeg's err pointer is the decoder's too
    jmp_buf jump;
    char *message;
    size_t capacity;
};

static void keep_message(j_common_ptr info, const char *prefix) {
    struct decoder *decoder = (struct decoder *)info->err;
    if (decoder->capacity == 0) return;
    char text[JMSG_LENGTH_MAX];
    info->err->format_message(info, text);
    snprintf(decoder->message, decoder->capacity, "%s%s", prefix, text);
}

static void decoder_exit(j_common_ptr info) {
    keep_message(info, "");
    longjmp(((struct decoder *)info->err)->jump, 1);
}

// Only the first warning is kept, as libgd reports only the first: the same photos are
// refused whichever way they are decoded.
static void decoder_message(j_common_ptr info, int level) {
    if (level >= 0) return;
    if (info->err->num_warnings == 0) keep_message(info, "libjpeg: recoverable error: ");
    info->err->num_warnings++;
}

// Grayscale, or YCbCr whose luma has the most samples and whose chroma planes are alike, each
// sampled at a half or the whole of luma's rate along each axis.
static int has_planes_we_read(const struct jpeg_decompress_struct *info) {
    if (info->arith_code || info->data_precision != 8) return 0;
    if (info->num_components == 1) return info->jpeg_color_space == JCS_GRAYSCALE;
    if (info->num_components != 3 || info->jpeg_color_space != JCS_YCbCr) return 0;
    const jpeg_component_info *y = &info->comp_info[0], *cb = &info->comp_info[1], *cr = &info->comp_info[2];
    if (y->h_samp_factor != info->max_h_samp_factor || y->v_samp_factor != info->max_v_samp_factor) return 0;
    if (cb->h_samp_factor != cr->h_samp_factor || cb->v_samp_factor != cr->v_samp_factor) return 0;
    int h = y->h_samp_factor, v = y->v_samp_factor;
    return (h == cb->h_samp_factor || h == 2 * cb->h_samp_factor) && (v == cb->v_samp_factor || v == 2 * cb->v_samp_factor);
}

int cimg_decode_jpeg_planes(const unsigned char *data, size_t size, cimg_jpeg_planes *out, char *message,
                            size_t message_capacity) {
    struct jpeg_decompress_struct info;
    struct decoder decoder;
    memset(&decoder, 0, sizeof decoder);
    decoder.message = message;
    decoder.capacity = message_capacity;
    if (message_capacity) message[0] = 0;
    info.err = jpeg_std_error(&decoder.errors);
    decoder.errors.error_exit = decoder_exit;
    decoder.errors.emit_message = decoder_message;
    if (setjmp(decoder.jump)) {
        jpeg_destroy_decompress(&info);
        return -1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    if (!has_planes_we_read(&info)) {
        jpeg_destroy_decompress(&info);
        if (message_capacity) message[0] = 0;
        return 0;
    }
    info.raw_data_out = TRUE;
    info.out_color_space = info.jpeg_color_space;
    info.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&info);

    memset(out, 0, sizeof *out);
    out->width = (int)info.image_width;
    out->height = (int)info.image_height;
    out->components = info.num_components;
    out->h_factor = info.max_h_samp_factor / info.comp_info[info.num_components - 1].h_samp_factor;
    out->v_factor = info.max_v_samp_factor / info.comp_info[info.num_components - 1].v_samp_factor;
    JSAMPROW rows[3][2 * DCTSIZE];
    JSAMPARRAY arrays[3];
    unsigned char *planes[3];
    for (int c = 0; c < info.num_components; c++) {
        const jpeg_component_info *component = &info.comp_info[c];
        size_t stride = (size_t)component->width_in_blocks * DCTSIZE;
        size_t height = (size_t)info.total_iMCU_rows * (size_t)component->v_samp_factor * DCTSIZE;
        planes[c] = cimg_scratch_alloc(stride * height);
        if (planes[c] == NULL) ERREXIT1(&info, JERR_OUT_OF_MEMORY, 0);
        out->plane[c] = planes[c];
        out->stride[c] = stride;
        out->plane_width[c] = (int)component->downsampled_width;
        out->plane_height[c] = (int)component->downsampled_height;
        arrays[c] = rows[c];
    }
    const int lines = info.max_v_samp_factor * DCTSIZE;
    for (JDIMENSION row = 0; info.output_scanline < info.output_height; row++) {
        for (int c = 0; c < info.num_components; c++) {
            int count = info.comp_info[c].v_samp_factor * DCTSIZE;
            for (int line = 0; line < count; line++) {
                rows[c][line] = planes[c] + ((size_t)row * (size_t)count + (size_t)line) * out->stride[c];
            }
        }
        if (jpeg_read_raw_data(&info, arrays, (JDIMENSION)lines) == 0) ERREXIT(&info, JERR_INPUT_EMPTY);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return 1;
}

struct encoder {
    struct jpeg_error_mgr errors;
    struct cimg_jpeg_output output;
    jmp_buf jump;
    // The rows handed to libjpeg: here, so a longjmp still finds them to free.
    unsigned char *rows;
};

static void encoder_exit(j_common_ptr info) {
    longjmp(((struct encoder *)info->err)->jump, 1);
}

typedef float v16f __attribute__((vector_size(64), aligned(4)));
typedef int v16i __attribute__((vector_size(64)));
typedef unsigned char v16b __attribute__((vector_size(16), aligned(1)));

// One row of floats rounded and clamped into bytes, its last sample repeated to `padded`.
static void byte_row(const float *source, int width, int padded, unsigned char *out) {
    if (source == NULL) {
        memset(out, 128, (size_t)padded);
        return;
    }
    // Sixteen at a time, so the four vectors of bytes pack into one store; the compiler's own
    // loop converted four and stored them four bytes at a time.
    const v16f low = {0}, high = low + 255.0f;
    int x = 0;
    for (; x + 16 <= width; x += 16) {
        v16f value = __builtin_elementwise_min(__builtin_elementwise_max(*(const v16f *)(source + x) + 0.5f, low), high);
        *(v16b *)(out + x) = __builtin_convertvector(__builtin_convertvector(value, v16i), v16b);
    }
    for (; x < width; x++) {
        float value = __builtin_fminf(__builtin_fmaxf(source[x] + 0.5f, 0.0f), 255.0f);
        out[x] = (unsigned char)(int)value;
    }
    memset(out + width, out[width - 1], (size_t)(padded - width));
}

unsigned char *cimg_encode_jpeg_planes(const cimg_float_plane *planes, int components, const int *h_samp,
                                       const int *v_samp, int width, int height, int quality, int optimize,
                                       int progressive, unsigned long *size) {
    if (components != 1 && components != 3 && components != 4) return NULL;
    struct jpeg_compress_struct info;
    // On the heap, so what the output grows to is still there after a longjmp.
    struct encoder *const encoder = calloc(1, sizeof(struct encoder));
    if (encoder == NULL) return NULL;
    unsigned char *result = NULL;
    if (!cimg_jpeg_output_open(&encoder->output, 16384 + (size_t)width * (size_t)height / 4)) goto done;
    info.err = jpeg_std_error(&encoder->errors);
    encoder->errors.error_exit = encoder_exit;
    encoder->errors.emit_message = cimg_jpeg_quiet;
    if (setjmp(encoder->jump)) {
        jpeg_destroy_compress(&info);
        free(encoder->output.buffer);
        goto done;
    }
    jpeg_create_compress(&info);
    cimg_jpeg_output_attach(&encoder->output, &info);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = components;
    info.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_YCbCr : JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    int max_h = 1, max_v = 1;
    for (int c = 0; c < components; c++) {
        info.comp_info[c].h_samp_factor = h_samp[c];
        info.comp_info[c].v_samp_factor = v_samp[c];
        if (h_samp[c] > max_h) max_h = h_samp[c];
        if (v_samp[c] > max_v) max_v = v_samp[c];
    }
    info.raw_data_in = TRUE;
    info.optimize_coding = optimize ? TRUE : FALSE;
    if (progressive) jpeg_simple_progression(&info);

    // Each call takes one row of MCUs: v_samp block rows of each plane, each row padded to the
    // MCUs across (libjpeg reads whole blocks).
    int mcus_across = (width + max_h * DCTSIZE - 1) / (max_h * DCTSIZE);
    int padded[4], lines[4];
    size_t offsets[4], total = 0;
    for (int c = 0; c < components; c++) {
        padded[c] = mcus_across * h_samp[c] * DCTSIZE;
        lines[c] = v_samp[c] * DCTSIZE;
        offsets[c] = total;
        total += (size_t)padded[c] * (size_t)lines[c];
    }
    encoder->rows = malloc(total);
    if (encoder->rows == NULL) ERREXIT1(&info, JERR_OUT_OF_MEMORY, 0);
    JSAMPROW rows[4][4 * DCTSIZE];
    JSAMPARRAY arrays[4];
    for (int c = 0; c < components; c++) {
        if (lines[c] > 4 * DCTSIZE) ERREXIT(&info, JERR_BAD_SAMPLING);
        for (int line = 0; line < lines[c]; line++) rows[c][line] = encoder->rows + offsets[c] + (size_t)line * (size_t)padded[c];
        arrays[c] = rows[c];
    }
    jpeg_start_compress(&info, TRUE);
    for (int group = 0; info.next_scanline < info.image_height; group++) {
        for (int c = 0; c < components; c++) {
            const cimg_float_plane *plane = &planes[c];
            for (int line = 0; line < lines[c]; line++) {
                int y = group * lines[c] + line;
                if (y >= plane->height) y = plane->height - 1;
                const float *source = plane->pixels ? plane->pixels + (size_t)y * plane->stride : NULL;
                byte_row(source, plane->width, padded[c], rows[c][line]);
            }
        }
        jpeg_write_raw_data(&info, arrays, (JDIMENSION)(max_v * DCTSIZE));
    }
    jpeg_finish_compress(&info);
    *size = (unsigned long)cimg_jpeg_output_size(&encoder->output);
    jpeg_destroy_compress(&info);
    result = encoder->output.buffer;
done:
    free(encoder->rows);
    free(encoder);
    return result;
}
