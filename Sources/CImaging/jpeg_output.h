// Where both JPEG encoders write: a buffer of ours that doubles as it fills, not libjpeg's
// (jpeg_mem_dest frees and replaces its buffer as it grows and reports it only at the end), so
// an error at any point frees exactly what exists.
#ifndef CIMAGING_JPEG_OUTPUT_H
#define CIMAGING_JPEG_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>

struct cimg_jpeg_output {
    struct jpeg_destination_mgr destination;  // first, so libjpeg's dest pointer is the output's too
    unsigned char *buffer;
    size_t capacity;
};

/// Allocates `capacity` bytes to start with; 0 when there is no memory.
int cimg_jpeg_output_open(struct cimg_jpeg_output *output, size_t capacity);

/// Makes `info` write into `output`.
void cimg_jpeg_output_attach(struct cimg_jpeg_output *output, j_compress_ptr info);

/// How many bytes were written.
size_t cimg_jpeg_output_size(const struct cimg_jpeg_output *output);

/// libjpeg's messages, unsaid: failures come back through error_exit.
void cimg_jpeg_quiet(j_common_ptr info, int level);

#endif
