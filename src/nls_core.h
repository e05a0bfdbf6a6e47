/*
 * nls_core.h
 *		Translation hook of the pure cores (issue 10).
 *
 * The cores (the src/..._core.c files) compile without postgres.h and write their
 * messages in English.  Each message passes through BF_T, which asks the
 * translator the server glue installs (bangfu.c: bangfu's gettext catalog)
 * and is the identity in the unit tests and fuzzers.  xgettext finds the
 * strings by the keywords BF_T and BF_N (a mark only, for arrays) and the
 * cores' fail() helpers (see NLS_KEYWORDS in the Makefile).
 */
#ifndef BANGFU_NLS_CORE_H
#define BANGFU_NLS_CORE_H

typedef const char *(*bf_translate_fn) (const char *msgid);

extern bf_translate_fn bf_core_translate;

#define BF_T(x) (bf_core_translate != 0 ? bf_core_translate(x) : (x))
#define BF_N(x) x

#endif							/* BANGFU_NLS_CORE_H */
