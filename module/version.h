/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_VERSION_H
#define PROCSCOPE_VERSION_H

#include <linux/procscope.h>

#define PROCSCOPE_VERSION "0.1.0"

#endif
