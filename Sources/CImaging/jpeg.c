// JPEG straight from libgd's rows: libgd's own writer copies every pixel through accessor
// calls into an RGB row first (a tenth of encoding a placeholder). libjpeg-turbo reads
// libgd's little-endian 0x00RRGGBB words directly as blue, green, red and a padding byte.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
#include "CImaging.h"

struct escape {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
};

static void leave(j_common_ptr info) {
    longjmp(((struct escape *)info->err)->jump, 1);
}

static void quiet(j_common_ptr info, int level) {
    (void)info;
    (void)level;
}

unsigned char *cimg_encode_jpeg(int *const *rows, int width, int height, int quality, int optimize,
                                unsigned long *size) {
    struct jpeg_compress_struct info;
    struct escape error;
    unsigned char *volatile buffer = NULL;
    unsigned char *target = NULL;
    unsigned long length = 0;
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = leave;
    error.manager.emit_message = quiet;
    if (setjmp(error.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer != NULL ? buffer : target);
        return NULL;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &target, &length);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = 4;
    info.in_color_space = JCS_EXT_BGRX;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    info.optimize_coding = optimize ? TRUE : FALSE;
    jpeg_start_compress(&info, TRUE);
    buffer = target;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)rows[info.next_scanline];
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *size = length;
    return target;
}

void cimg_free(void *buffer) {
    free(buffer);
}
