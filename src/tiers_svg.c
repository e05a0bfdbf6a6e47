/*
 * tiers_svg.c
 *		bangfu.tiers_svg: a picture of a schedule (issue 13), benefit against
 *		amount, so that policy makers can compare a proposal with the policy
 *		in force (四(1), 四(2), 八(3) are bracketed tables) by looking.
 *
 * Every value drawn is computed exactly by the tiers core (bf_tiers_apply):
 * the value at each end of each bracket, and where the cap starts to bite,
 * found by bisection on the exact capped flag.  Only the mapping of those
 * exact fen amounts to pixels uses double: that is drawing, not money.  Each
 * drawn element carries its exact amounts in yuan in data-* attributes, so
 * that tests (and tools) can read the geometry without parsing pixels.
 *
 * Elements:
 *	<polyline class="segment">	one per flat bracket (within the plot), one
 *								per contiguous run of a marginal schedule;
 *								data-from/data-to (amounts), points.
 *	<circle class="bound closed|open">	flat schedules only, at each bound two
 *								brackets share inside the plot: closed on the
 *								side that includes the bound (its value at the
 *								bound), open on the other (its value one fen
 *								inside); data-amount, data-benefit.
 *	<line class="jump">			the vertical gap between the two markers.
 *	<line class="cap">			the cap, a horizontal line; data-cap.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "money.h"
#include "tiers.h"

#define SVG_W		760
#define SVG_H		480
#define SVG_L		90			/* left margin: y tick labels */
#define SVG_R		50			/* right margin: the last x tick label */
#define SVG_T		50
#define SVG_B		70			/* bottom margin: x tick labels and title */
#define PLOT_W		(SVG_W - SVG_L - SVG_R)
#define PLOT_H		(SVG_H - SVG_T - SVG_B)

static const BfRule svg_rule = {"bangfu.tiers_svg", "a picture of a schedule"};

typedef struct Scale
{
	int64		xmax;			/* fen */
	int64		ymax;			/* fen */
} Scale;

typedef struct Style
{
	const char *role;			/* primary / compare */
	const char *colour;
	const char *dash;			/* stroke-dasharray or NULL */
} Style;

static const Style primary_style = {"primary", "#1f5fa8", NULL};
static const Style compare_style = {"compare", "#c0392b", "8 5"};

static double
px(const Scale *s, int64 fen)
{
	return SVG_L + (double) fen / (double) s->xmax * PLOT_W;
}

static double
py(const Scale *s, int64 fen)
{
	return SVG_T + PLOT_H - (double) fen / (double) s->ymax * PLOT_H;
}

/* Text of an amount in fen, exactly, as yuan with two decimals. */
static void
append_yuan(StringInfo buf, int64 fen)
{
	appendStringInfo(buf, INT64_FORMAT ".%02d", fen / 100, (int) (fen % 100));
}

/* A tick label: yuan with thousands separators, decimals only if needed. */
static void
append_label(StringInfo buf, int64 fen)
{
	char		digits[32];
	int			n,
				i;

	snprintf(digits, sizeof digits, INT64_FORMAT, fen / 100);
	n = strlen(digits);
	for (i = 0; i < n; i++)
	{
		if (i > 0 && (n - i) % 3 == 0)
			appendStringInfoChar(buf, ',');
		appendStringInfoChar(buf, digits[i]);
	}
	if (fen % 100 != 0)
		appendStringInfo(buf, ".%02d", (int) (fen % 100));
}

static void
append_xml(StringInfo buf, const char *s)
{
	for (; *s; s++)
	{
		switch (*s)
		{
			case '&':
				appendStringInfoString(buf, "&amp;");
				break;
			case '<':
				appendStringInfoString(buf, "&lt;");
				break;
			case '>':
				appendStringInfoString(buf, "&gt;");
				break;
			case '"':
				appendStringInfoString(buf, "&quot;");
				break;
			default:
				appendStringInfoChar(buf, *s);
		}
	}
}

/* The exact capped value at an amount the bracket is known to contain. */
static int64
value_at(const bf_tiers *t, int64 fen)
{
	bf_apply_result r;

	if (!bf_tiers_apply(t, fen, &r))
		elog(ERROR, "bangfu.tiers_svg: amount " INT64_FORMAT " is outside the schedule", fen);
	return r.value;
}

static bool
capped_at(const bf_tiers *t, int64 fen)
{
	bf_apply_result r;

	if (!bf_tiers_apply(t, fen, &r))
		elog(ERROR, "bangfu.tiers_svg: amount " INT64_FORMAT " is outside the schedule", fen);
	return r.capped;
}

/*
 * The part of bracket i inside [0, xmax], as the first and last fen it
 * contains.  False if none.
 */
static bool
piece(const bf_tiers *t, int i, int64 xmax, int64 *a, int64 *b)
{
	const bf_bracket *br = &t->b[i];
	int64		lo = 0,
				hi = xmax;

	if (!(br->flags & BF_B_LO_INF))
		lo = Max(lo, (br->flags & BF_B_LO_INC) ? br->lo : br->lo + 1);
	if (!(br->flags & BF_B_HI_INF))
		hi = Min(hi, (br->flags & BF_B_HI_INC) ? br->hi : br->hi - 1);
	if (lo > hi)
		return false;
	*a = lo;
	*b = hi;
	return true;
}

/*
 * Within one bracket the value does not decrease (rates and fixed amounts are
 * not negative), so the cap bites from one amount on: the first fen in
 * [a, b] where it does, or -1.
 */
static int64
cap_start(const bf_tiers *t, int64 a, int64 b)
{
	if (t->cap < 0 || !capped_at(t, b))
		return -1;
	if (capped_at(t, a))
		return a;
	while (b - a > 1)			/* capped at b, not at a */
	{
		int64		m = a + (b - a) / 2;

		if (capped_at(t, m))
			b = m;
		else
			a = m;
	}
	return b;
}

static void
append_point(StringInfo buf, const Scale *s, int64 x, int64 y)
{
	appendStringInfo(buf, "%s%.2f,%.2f", buf->data[buf->len - 1] == '"' ? "" : " ",
					 px(s, x), py(s, y));
}

/* The points of one piece: its ends, and the kink where the cap starts. */
static void
append_piece_points(StringInfo buf, const Scale *s, const bf_tiers *t,
					int64 a, int64 b, int64 xa, int64 xb)
{
	int64		c = cap_start(t, a, b);

	append_point(buf, s, xa, value_at(t, a));
	if (c > a && c <= b)
	{
		/* just before the kink, then the cap */
		append_point(buf, s, c - 1, value_at(t, c - 1));
		append_point(buf, s, c, value_at(t, c));
	}
	append_point(buf, s, xb, value_at(t, b));
}

static void
append_stroke(StringInfo buf, const Style *st, double width)
{
	appendStringInfo(buf, " fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"", st->colour, width);
	if (st->dash)
		appendStringInfo(buf, " stroke-dasharray=\"%s\"", st->dash);
}

static void
append_marker(StringInfo buf, const Scale *s, const Style *st, bool closed,
			  int64 amount, int64 benefit)
{
	appendStringInfo(buf, "  <circle class=\"bound %s\" data-amount=\"", closed ? "closed" : "open");
	append_yuan(buf, amount);
	appendStringInfoString(buf, "\" data-benefit=\"");
	append_yuan(buf, benefit);
	appendStringInfo(buf, "\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\" stroke=\"%s\" stroke-width=\"1.5\" fill=\"%s\"/>\n",
					 px(s, amount), py(s, benefit), st->colour, closed ? st->colour : "white");
}

/* One schedule as a group of segments, markers and its cap. */
static void
draw_schedule(StringInfo buf, const Scale *s, const bf_tiers *t, const Style *st)
{
	int			i;
	bool		marginal = (t->mode == BF_MODE_MARGINAL);
	bool		open_run = false;

	appendStringInfo(buf, " <g class=\"schedule\" data-role=\"%s\" data-mode=\"%s\">\n",
					 st->role, marginal ? "marginal" : "flat");

	for (i = 0; i < t->nbrackets; i++)
	{
		int64		a,
					b,
					xa,
					xb;

		if (!piece(t, i, s->xmax, &a, &b))
			continue;
		/* draw from the bound itself even where the bracket excludes it */
		xa = (!(t->b[i].flags & BF_B_LO_INF) && t->b[i].lo >= 0 && t->b[i].lo < a) ? t->b[i].lo : a;
		xb = (!(t->b[i].flags & BF_B_HI_INF) && t->b[i].hi <= s->xmax && t->b[i].hi > b) ? t->b[i].hi : b;

		if (marginal)
		{
			/* continuous: one polyline through every bracket */
			if (!open_run)
			{
				appendStringInfoString(buf, "  <polyline class=\"segment\" data-from=\"");
				append_yuan(buf, xa);
				appendStringInfoString(buf, "\" points=\"");
				open_run = true;
			}
			/* at a shared bound the value is the same from both sides */
			append_piece_points(buf, s, t, a, b, a, b);
			continue;
		}

		appendStringInfoString(buf, "  <polyline class=\"segment\" data-from=\"");
		append_yuan(buf, xa);
		appendStringInfoString(buf, "\" data-to=\"");
		append_yuan(buf, xb);
		appendStringInfoString(buf, "\" points=\"");
		append_piece_points(buf, s, t, a, b, xa, xb);
		appendStringInfoChar(buf, '"');
		append_stroke(buf, st, 2.5);
		appendStringInfoString(buf, "/>\n");

		/* the jump at the bound shared with the next bracket, if drawn */
		if (i + 1 < t->nbrackets && !(t->b[i].flags & BF_B_HI_INF) &&
			t->b[i].hi > 0 && t->b[i].hi < s->xmax)
		{
			int64		bound = t->b[i].hi;
			bool		here = (t->b[i].flags & BF_B_HI_INC) != 0;
			int64		left = value_at(t, here ? bound : bound - 1);
			int64		right = value_at(t, here ? bound + 1 : bound);

			appendStringInfo(buf, "  <line class=\"jump\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n",
							 px(s, bound), py(s, left), px(s, bound), py(s, right), st->colour);
			append_marker(buf, s, st, here, bound, left);
			append_marker(buf, s, st, !here, bound, right);
		}
	}
	if (open_run)
	{
		int64		a,
					b;
		int			last;

		for (last = t->nbrackets - 1; last >= 0; last--)
			if (piece(t, last, s->xmax, &a, &b))
				break;
		appendStringInfoString(buf, "\" data-to=\"");
		append_yuan(buf, b);
		appendStringInfoChar(buf, '"');
		append_stroke(buf, st, 2.5);
		appendStringInfoString(buf, "/>\n");
	}

	if (t->cap >= 0 && t->cap <= s->ymax)
	{
		appendStringInfoString(buf, "  <line class=\"cap\" data-cap=\"");
		append_yuan(buf, t->cap);
		appendStringInfo(buf, "\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"1 4\"/>\n",
						 (double) SVG_L, py(s, t->cap), (double) (SVG_L + PLOT_W),
						 py(s, t->cap), st->colour);
		/* the proposal's label below the line, so equal caps stay readable */
		appendStringInfo(buf, "  <text x=\"%.2f\" y=\"%.2f\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"end\" fill=\"%s\">cap ",
						 (double) (SVG_L + PLOT_W - 4),
						 py(s, t->cap) + (st == &compare_style ? 13 : -4), st->colour);
		append_label(buf, t->cap);
		appendStringInfoString(buf, "</text>\n");
	}
	appendStringInfoString(buf, " </g>\n");
}

/* The largest value drawn: every piece's end is its maximum. */
static int64
max_value(const bf_tiers *t, int64 xmax)
{
	int64		m = 0;
	int			i;

	for (i = 0; i < t->nbrackets; i++)
	{
		int64		a,
					b;

		if (piece(t, i, xmax, &a, &b))
			m = Max(m, value_at(t, b));
	}
	if (t->cap >= 0)
		m = Max(m, t->cap);
	return m;
}

static int64
last_bound(const bf_tiers *t)
{
	int64		m = 0;
	int			i;

	for (i = 0; i < t->nbrackets; i++)
	{
		if (!(t->b[i].flags & BF_B_LO_INF))
			m = Max(m, t->b[i].lo);
		if (!(t->b[i].flags & BF_B_HI_INF))
			m = Max(m, t->b[i].hi);
	}
	return m;
}

/* A tick step in fen: 1, 2 or 5 times a power of ten, about range/6. */
static int64
tick_step(int64 range)
{
	int64		step = 1;

	while (step * 10 <= range / 6 + 1 && step <= BF_MAX_FEN / 10)
		step *= 10;
	if (step * 5 <= range / 6)
		return step * 5;
	if (step * 2 <= range / 6)
		return step * 2;
	return step;
}

/* The next nice step: 1, 2, 5, 10, 20, 50 ... times a power of ten. */
static int64
next_step(int64 step)
{
	int64		p = 1;

	while (p * 10 <= step)
		p *= 10;
	return step == p ? 2 * p : (step == 2 * p ? 5 * p : 10 * p);
}

/*
 * Widen the x tick step until the labels fit side by side: 6.5 pixels a
 * character of the widest label ("2,000,000") and a gap, so that they do not
 * run into each other.
 */
static int64
fit_x_step(int64 step, int64 xmax)
{
	for (;;)
	{
		StringInfoData lbl;
		int			width;

		initStringInfo(&lbl);
		append_label(&lbl, xmax / step * step);
		width = lbl.len * 13 / 2 + 8;
		pfree(lbl.data);
		if ((double) PLOT_W / ((double) xmax / (double) step) >= width || step > BF_MAX_FEN / 10)
			return step;
		step = next_step(step);
	}
}

/* Round a fen amount up to a whole tick step. */
static int64
round_up(int64 v, int64 step)
{
	return (v + step - 1) / step * step;
}

static void
draw_axes(StringInfo buf, const Scale *s, int64 xstep, int64 ystep)
{
	int64		v;

	appendStringInfoString(buf, " <g class=\"axes\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#333\">\n");
	appendStringInfo(buf, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
					 SVG_L, SVG_T + PLOT_H, SVG_L + PLOT_W, SVG_T + PLOT_H);
	appendStringInfo(buf, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
					 SVG_L, SVG_T, SVG_L, SVG_T + PLOT_H);
	for (v = 0; v <= s->xmax; v += xstep)
	{
		appendStringInfo(buf, "  <line class=\"xtick\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#ccc\"/>\n",
						 px(s, v), SVG_T, px(s, v), SVG_T + PLOT_H + 5);
		appendStringInfo(buf, "  <text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">", px(s, v), SVG_T + PLOT_H + 20);
		append_label(buf, v);
		appendStringInfoString(buf, "</text>\n");
	}
	for (v = 0; v <= s->ymax; v += ystep)
	{
		appendStringInfo(buf, "  <line class=\"ytick\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#ccc\"/>\n",
						 SVG_L - 5, py(s, v), SVG_L + PLOT_W, py(s, v));
		appendStringInfo(buf, "  <text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">", SVG_L - 8, py(s, v) + 4);
		append_label(buf, v);
		appendStringInfoString(buf, "</text>\n");
	}
	appendStringInfo(buf, "  <text x=\"%d\" y=\"%d\" text-anchor=\"middle\">amount (yuan)</text>\n",
					 SVG_L + PLOT_W / 2, SVG_H - 20);
	appendStringInfo(buf, "  <text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">benefit (yuan)</text>\n",
					 SVG_T + PLOT_H / 2, SVG_T + PLOT_H / 2);
	appendStringInfoString(buf, " </g>\n");
}

static void
draw_legend_entry(StringInfo buf, int row, const Style *st, const char *label)
{
	int			y = SVG_T + 14 + row * 18;

	appendStringInfo(buf, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"", SVG_L + 14, y, SVG_L + 44, y);
	append_stroke(buf, st, 2.5);
	appendStringInfo(buf, "/>\n  <text x=\"%d\" y=\"%d\">", SVG_L + 50, y + 4);
	append_xml(buf, label);
	appendStringInfoString(buf, "</text>\n");
}

/*
 * bangfu.tiers_svg(t, upto, compare, label, compare_label, title) -> text
 */
PG_FUNCTION_INFO_V1(tiers_svg);
Datum
tiers_svg(PG_FUNCTION_ARGS)
{
	bf_tiers   *t;
	bf_tiers   *cmp = NULL;
	const char *label = "in force";
	const char *cmp_label = "proposal";
	const char *title = NULL;
	Scale		s;
	int64		xstep,
				ystep;
	StringInfoData buf;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = PG_GETARG_TIERS_P(0);
	if (!PG_ARGISNULL(2))
		cmp = PG_GETARG_TIERS_P(2);
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		label = text_to_cstring(PG_GETARG_TEXT_PP(3));
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		cmp_label = text_to_cstring(PG_GETARG_TEXT_PP(4));
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
		title = text_to_cstring(PG_GETARG_TEXT_PP(5));

	if (!PG_ARGISNULL(1))
	{
		s.xmax = bf_datum_to_fen(PG_GETARG_DATUM(1), "upto", &svg_rule);
		if (s.xmax <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("upto must be more than 0"),
					 errdetail("%s (%s) draws amounts from 0 to upto.",
							   svg_rule.function, svg_rule.clause)));
		xstep = fit_x_step(tick_step(s.xmax), s.xmax);
	}
	else
	{
		/* a fifth past the last bound of either schedule, on a tick */
		int64		last = last_bound(t);

		if (cmp)
			last = Max(last, last_bound(cmp));
		if (last == 0)
			last = 1000000;		/* no finite bound: 0 .. 10,000 yuan */
		last += last / 5;
		xstep = fit_x_step(tick_step(last), last);
		s.xmax = Min(round_up(last, xstep), BF_MAX_FEN);
	}

	s.ymax = max_value(t, s.xmax);
	if (cmp)
		s.ymax = Max(s.ymax, max_value(cmp, s.xmax));
	if (s.ymax <= 0)
		s.ymax = 100;
	ystep = tick_step(s.ymax + s.ymax / 10);
	s.ymax = Min(round_up(s.ymax + s.ymax / 10, ystep), BF_MAX_FEN);

	initStringInfo(&buf);
	/*
	 * No encoding in the declaration: the text is in the database's encoding
	 * here (EUC_CN too) and in the client's once it leaves, and an XML
	 * document without one is read as UTF-8 from a file and in the
	 * database's encoding by PostgreSQL's xml type.
	 */
	appendStringInfo(&buf, "<?xml version=\"1.0\"?>\n"
					 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" data-upto=\"",
					 SVG_W, SVG_H, SVG_W, SVG_H);
	append_yuan(&buf, s.xmax);
	appendStringInfoString(&buf, "\" data-ymax=\"");
	append_yuan(&buf, s.ymax);
	appendStringInfoString(&buf, "\">\n <title>");
	append_xml(&buf, title ? title : "benefit against amount");
	appendStringInfoString(&buf, "</title>\n <desc>");
	append_xml(&buf, label);
	appendStringInfoString(&buf, ": ");
	append_xml(&buf, bf_tiers_cstring(t));
	if (cmp)
	{
		appendStringInfoString(&buf, "\n");
		append_xml(&buf, cmp_label);
		appendStringInfoString(&buf, ": ");
		append_xml(&buf, bf_tiers_cstring(cmp));
	}
	appendStringInfoString(&buf, "</desc>\n");
	appendStringInfo(&buf, " <rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", SVG_W, SVG_H);
	if (title)
	{
		appendStringInfo(&buf, " <text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"16\">",
						 SVG_W / 2);
		append_xml(&buf, title);
		appendStringInfoString(&buf, "</text>\n");
	}
	draw_axes(&buf, &s, xstep, ystep);
	draw_schedule(&buf, &s, t, &primary_style);
	if (cmp)
		draw_schedule(&buf, &s, cmp, &compare_style);

	appendStringInfoString(&buf, " <g class=\"legend\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#333\">\n");
	draw_legend_entry(&buf, 0, &primary_style, label);
	if (cmp)
		draw_legend_entry(&buf, 1, &compare_style, cmp_label);
	appendStringInfoString(&buf, " </g>\n</svg>\n");

	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}
