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

/*
 * Days from 0000-03-01 to 1 March of year y >= 0: 365 a year and one for
 * each 29 February before it, those of the leap years 4, 8, ... up to y
 * (year 0's comes before 0000-03-01).  Unsigned: cheaper divisions.
 */
static inline uint64
bf_march1(uint64 y)
{
	return 365 * y + y / 4 - y / 100 + y / 400;
}

/* 0000-03-01 is this day of PostgreSQL's count (2000-01-01 is day 0). */
#define BF_DATE_MARCH1_YEAR0	(-730425)

/*
 * The n-th anniversary of a finite date, as bf_anniversary_ymd reads it,
 * without taking the date apart when it need not: a date of the "March
 * year" y (1 March of y to the end of February of y+1) has its anniversary
 * the days of n March years later, bf_march1(y + n) - bf_march1(y), except
 * 29 February (the last day of a leap March year), which goes the calendar
 * way, as do dates before year 0 and after year 1,000,000 and n above
 * 10,000, far beyond any policy.  One per row of 八(2) (src/loan.c), at half
 * the instructions of j2date and date2j.
 */
static inline DateADT
bf_anniversary(DateADT d, int64 n)
{
	int			y,
				m,
				day;

	if (likely(d >= BF_DATE_MARCH1_YEAR0 && d < 365000000 && n >= 0 && n <= 10000))
	{
		uint64		t = (uint64) ((int64) d - BF_DATE_MARCH1_YEAR0);	/* days since 0000-03-01 */
		/* 146097 days every 400 years: the March year, or one off */
		uint64		my = t * 400 / 146097;
		uint64		start = bf_march1(my);

		if (start > t)
			start = bf_march1(--my);
		else if (bf_march1(my + 1) <= t)
			start = bf_march1(++my);
		if (t - start != 365)	/* not 29 February */
			return (DateADT) (d + (int64) (bf_march1(my + (uint64) n) - start));
	}
	bf_date_ymd(d, &y, &m, &day);
	return bf_anniversary_ymd(y, m, day, n);
}

/* A date as ISO text whatever the DateStyle ("-infinity" for the shipped defaults). */
extern char *bf_date_cstring(DateADT d);

#endif							/* BANGFU_DATES_H */
