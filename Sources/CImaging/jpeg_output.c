#include <stdlib.h>
#include <jerror.h>
#include "jpeg_output.h"

static struct cimg_jpeg_output *output_of(j_compress_ptr info) {
    return (struct cimg_jpeg_output *)info->dest;
}

static void start(j_compress_ptr info) {
    struct cimg_jpeg_output *output = output_of(info);
    output->destination.next_output_byte = output->buffer;
    output->destination.free_in_buffer = output->capacity;
}

static boolean grow(j_compress_ptr info) {
    struct cimg_jpeg_output *output = output_of(info);
    size_t used = output->capacity;
    unsigned char *larger = realloc(output->buffer, output->capacity * 2);
    if (larger == NULL) ERREXIT1(info, JERR_OUT_OF_MEMORY, 0);
    output->buffer = larger;
    output->capacity *= 2;
    output->destination.next_output_byte = larger + used;
    output->destination.free_in_buffer = output->capacity - used;
    return TRUE;
}

static void finish(j_compress_ptr info) {
    (void)info;
}

int cimg_jpeg_output_open(struct cimg_jpeg_output *output, size_t capacity) {
    output->capacity = capacity;
    output->buffer = malloc(capacity);
    return output->buffer != NULL;
}

void cimg_jpeg_output_attach(struct cimg_jpeg_output *output, j_compress_ptr info) {
    output->destination.init_destination = start;
    output->destination.empty_output_buffer = grow;
    output->destination.term_destination = finish;
    info->dest = &output->destination;
}

size_t cimg_jpeg_output_size(const struct cimg_jpeg_output *output) {
    return output->capacity - output->destination.free_in_buffer;
}

void cimg_jpeg_quiet(j_common_ptr info, int level) {
    (void)info;
    (void)level;
}
