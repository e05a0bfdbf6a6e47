/*
 * dates.h
 *		The calendar as bangfu reads it, for the policy store, the rules and
 *		the limit engine alike: the calendar date and year of a date ("year"
 *		is the calendar year of the event's date, spec §0), and a date as
 *		text in messages and explanations.
 */
#ifndef BANGFU_DATES_H
#define BANGFU_DATES_H

#include "postgres.h"
#include "utils/date.h"
#include "utils/datetime.h"

/* The calendar date of a finite date (year 0 is 1 BC, as j2date counts). */
static inline void
bf_date_ymd(DateADT d, int *y, int *m, int *day)
{
	j2date(d + POSTGRES_EPOCH_JDATE, y, m, day);
}

/* The calendar year of a finite date, as bf_date_ymd counts it. */
static inline int
bf_date_year(DateADT d)
{
	int			y,
				m,
				day;

	bf_date_ymd(d, &y, &m, &day);
	return y;
}

/* A date as ISO text whatever the DateStyle ("-infinity" for the shipped defaults). */
extern char *bf_date_cstring(DateADT d);

#endif							/* BANGFU_DATES_H */
