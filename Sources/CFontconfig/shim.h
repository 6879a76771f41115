#ifndef AVATAR_SITE_CFONTCONFIG_SHIM_H
#define AVATAR_SITE_CFONTCONFIG_SHIM_H

#include <fontconfig/fontconfig.h>

#endif
