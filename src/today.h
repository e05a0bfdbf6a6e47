/*
 * today.h
 *		CURRENT_DATE, kept per transaction and time zone (src/today.c): what a
 *		rule uses for on_date when the planner took the CURRENT_DATE argument
 *		out of the call (bangfu.today_support).
 */
#ifndef BANGFU_TODAY_H
#define BANGFU_TODAY_H

#include "postgres.h"
#include "pgtime.h"
#include "utils/date.h"

extern struct pg_tz *bf_today_zone;
extern DateADT bf_today_value;
extern DateADT bf_today_date_slow(void);
extern void bf_today_init(void);

static inline DateADT
bf_today_date(void)
{
	/*
	 * Kept for this transaction (emptied at its end) and time zone (a
	 * setting is one pg_tz for the life of the backend).
	 */
	if (likely(bf_today_zone == session_timezone && bf_today_zone != NULL))
		return bf_today_value;
	return bf_today_date_slow();
}

#endif							/* BANGFU_TODAY_H */
