/*
 * handicraft.c
 *		八(3) handicraft sales reward: the reward schedule handicraft.reward
 *		of a year's sales of products made by hardship households.  Its SQL
 *		is src/handicraft.sql.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "rules.h"

static const BfRule rule_craft = {"bangfu.handicraft_reward", BF_N("八(3) handicraft sales reward")};

static const char *const craft_params[] = {"handicraft.reward"};

/*
 * The arguments (sales, on_date[, scenario]) read, and the schedule applied.
 * Always inline: the reward runs it once per row, and a call of its own cost
 * about 20 instructions a row (bench/instructions.sh).
 */
static pg_attribute_always_inline const BfPolicyValue *
craft_compute(FunctionCallInfo fcinfo, int64 *sales, DateADT *on_date,
			  const char **scenario, bf_apply_result *r)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, craft_params, 1);
	const BfPolicyValue *v;

	*sales = bf_datum_to_fen(PG_GETARG_DATUM(0), "sales", &rule_craft);
	*on_date = BF_RULE_DATE(1);
	*scenario = bf_rule_scenario(fcinfo, rc, 2);
	v = bf_policy_get(&rc->refs[0], *scenario, *on_date, BF_KIND_TIERS);
	bf_tiers_apply_checked(v->tiers, *sales, r, "sales", &rule_craft);
	return v;
}

/* 八(3): the reward for a year's sales of products made by hardship households. */
PG_FUNCTION_INFO_V1(bf_handicraft_reward);
Datum
bf_handicraft_reward(PG_FUNCTION_ARGS)
{
	int64		sales;
	DateADT		on_date;
	const char *scenario;
	bf_apply_result r;

	(void) craft_compute(fcinfo, &sales, &on_date, &scenario, &r);
	PG_RETURN_DATUM(bf_fen_to_datum(r.value));
}

/* 八(3) step by step, with the jump at the nearest tier bound. */
PG_FUNCTION_INFO_V1(bf_handicraft_reward_explain);
Datum
bf_handicraft_reward_explain(PG_FUNCTION_ARGS)
{
	int64		sales;
	DateADT		on_date;
	const char *scenario;
	bf_apply_result r;
	const BfPolicyValue *v = craft_compute(fcinfo, &sales, &on_date, &scenario, &r);
	BfExplain	e;

	bf_explain_begin(&e, &rule_craft, scenario);
	bf_json_date(&e.buf, "on_date", on_date);
	bf_json_str(&e.buf, "param", craft_params[0]);
	bf_json_str(&e.buf, "schedule", bf_tiers_cstring(v->tiers));
	bf_tiers_explain_members(&e.buf, v->tiers, sales, &r);
	bf_json_fen(&e.buf, "result", r.value);
	bf_explain_policy(&e, craft_params[0], v);
	PG_RETURN_DATUM(bf_explain_finish(&e));
}
