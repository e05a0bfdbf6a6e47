/*
 * bangfu_nls.h
 *		bangfu's messages come from its own gettext catalog, text domain
 *		"bangfu-<major>" (po/; issue 10), not from PostgreSQL's.
 *
 * utils/elog.h defines TEXTDOMAIN as NULL (the server's own catalog) without
 * checking whether it is defined already, so a -D on the command line is not
 * enough.  The Makefile force-includes this header (-include) before each
 * source file of the module: postgres.h comes first, its include guard keeps
 * the file's own #include "postgres.h" from undoing what follows, and every
 * ereport then looks its messages up in bangfu's catalog.
 */
#ifndef BANGFU_NLS_H
#define BANGFU_NLS_H

#include "postgres.h"

#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("bangfu")

/* A phrase built into a message, from bangfu's catalog. */
#define bf_(x) dgettext(TEXTDOMAIN, (x))

/*
 * Marks a phrase kept in a constant (a rule's clause) for xgettext; bf_()
 * translates it where a message shows it.  Same as nls_core.h's.
 */
#define BF_N(x) x

#endif							/* BANGFU_NLS_H */
