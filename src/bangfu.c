/*
 * bangfu.c
 *		Module entry points of the bangfu extension.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "limits_engine.h"
#include "nls_core.h"
#include "policy.h"
#include "today.h"

PG_MODULE_MAGIC;

void		_PG_init(void);
/* drop_guard.c: the drop_with_data settings */
extern void bf_drop_guard_init(void);

/* The cores' messages (nls_core.h) from bangfu's catalog. */
static const char *
bf_core_gettext(const char *msgid)
{
	return dgettext(TEXTDOMAIN, msgid);
}

/* Hook the policy cache into invalidation and transaction end. */
void
_PG_init(void)
{
	/* bangfu's messages come from its own catalog, bangfu-<major> (po/). */
	pg_bindtextdomain(TEXTDOMAIN);
	bf_core_translate = bf_core_gettext;
	bf_policy_init();
	bf_limits_init();
	bf_today_init();
	bf_drop_guard_init();
}

/* Report the version compiled into the library. */
PG_FUNCTION_INFO_V1(bf_version);
Datum
bf_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(BANGFU_VERSION));
}
