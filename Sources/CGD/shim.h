#ifndef AVATAR_SITE_CGD_SHIM_H
#define AVATAR_SITE_CGD_SHIM_H

#include <gd.h>

// libgd's colour helpers are function-like macros, which Swift cannot call.
static inline int cgd_true_color_alpha(int r, int g, int b, int a) {
    return gdTrueColorAlpha(r, g, b, a);
}

static inline int cgd_true_color(int r, int g, int b) {
    return gdTrueColor(r, g, b);
}

#endif
