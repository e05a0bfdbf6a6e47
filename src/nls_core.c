/*
 * nls_core.c
 *		The translator of the pure cores' messages (see nls_core.h): none
 *		until the server glue sets one.
 */
#include "nls_core.h"

bf_translate_fn bf_core_translate = 0;
