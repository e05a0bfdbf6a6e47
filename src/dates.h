/*
 * dates.h
 *		The calendar as bangfu reads it, for the policy store, the rules and
 *		the limit engine alike: the calendar date and year of a date ("year"
 *		is the calendar year of the event's date, spec §0), the anniversary
 *		of a date (八(1) ages, 八(2) loan terms), and a date as text in
 *		messages and explanations.
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

/*
 * The n-th anniversary of the calendar date y-m-d: the same month and day
 * n years on, and for 29 February in a year that is not leap, 1 March, the
 * day after 28 February.  One reading of 29 February everywhere: a person
 * born on it reaches an age on 1 March of a common year (八(1) 年满), and a
 * loan of 2024-02-29 is subsidised for two years through 2026-02-28, its
 * anniversary being 2026-03-01 (八(2)).  This is not date + interval
 * 'n years', which stops at 28 February.  Past the last date: infinity.
 * Inline, like the two below: 八(2) takes one per row (src/loan.c).
 */
static inline DateADT
bf_anniversary_ymd(int y, int m, int day, int64 n)
{
	int64		ny = y + n;
	DateADT		r;

	if (ny > JULIAN_MAXYEAR)
		return DATEVAL_NOEND;
	if (day > day_tab[isleap(ny)][m - 1])
	{
		/* only 29 February can be missing in another year */
		m++;
		day = 1;
	}
	if (!IS_VALID_JULIAN(ny, m, day))
		return DATEVAL_NOEND;
	r = date2j((int) ny, m, day) - POSTGRES_EPOCH_JDATE;
	return IS_VALID_DATE(r) ? r : DATEVAL_NOEND;
}

/* The n-th anniversary of a finite date, as bf_anniversary_ymd reads it. */
static inline DateADT
bf_anniversary(DateADT d, int64 n)
{
	int			y,
				m,
				day;

	bf_date_ymd(d, &y, &m, &day);
	return bf_anniversary_ymd(y, m, day, n);
}

/* A date as ISO text whatever the DateStyle ("-infinity" for the shipped defaults). */
extern char *bf_date_cstring(DateADT d);

#endif							/* BANGFU_DATES_H */
