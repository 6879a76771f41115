// A libgd true-colour pixel (0x7FRRGGBB, alpha 127 = transparent) composited over an opaque
// matte, for the JPEG that cannot be see-through.
#ifndef CIMAGING_FLATTEN_H
#define CIMAGING_FLATTEN_H

static inline int cimg_flattened(int pixel, int matte) {
    int alpha = (pixel >> 24) & 0x7F;
    if (alpha == 0) return pixel & 0xFFFFFF;
    int result = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        int over = (pixel >> shift) & 0xFF, under = (matte >> shift) & 0xFF;
        result |= ((over * (127 - alpha) + under * alpha + 63) / 127) << shift;
    }
    return result;
}

#endif
