// Where each pixel of an image turned upright by its EXIF orientation comes from.
#ifndef CIMAGING_ORIENT_H
#define CIMAGING_ORIENT_H

/// The source pixel (`*sx`, `*sy`) of pixel (`x`, `y`) of the upright image, for a `width` x
/// `height` source and an EXIF `orientation` (1-8; anything else is upright already).
static inline void cimg_oriented_source(int x, int y, int width, int height, int orientation, int *sx, int *sy) {
    switch (orientation) {
    case 2: *sx = width - 1 - x; *sy = y; break;
    case 3: *sx = width - 1 - x; *sy = height - 1 - y; break;
    case 4: *sx = x; *sy = height - 1 - y; break;
    case 5: *sx = y; *sy = x; break;
    case 6: *sx = y; *sy = height - 1 - x; break;
    case 7: *sx = width - 1 - y; *sy = height - 1 - x; break;
    case 8: *sx = width - 1 - y; *sy = x; break;
    default: *sx = x; *sy = y; break;
    }
}

/// Whether the orientation swaps width and height.
static inline int cimg_orientation_transposes(int orientation) {
    return orientation >= 5 && orientation <= 8;
}

#endif
