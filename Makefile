# bangfu: PGXS build.  The version lives in bangfu.control only; this file
# carries it into the install script name and into the C code.
EXTENSION   = bangfu
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

PG_CONFIG  ?= pg_config

# The install script is assembled from one SQL file per concern, in this order.
SQL_PARTS   = src/base.sql src/tiers.sql src/policy.sql src/medical.sql \
              src/cnid.sql src/rules.sql src/scenario.sql src/limits.sql \
              src/roles.sql src/restore.sql
SQL_PARTS  := $(wildcard $(SQL_PARTS))
SQL_BUILT   = $(EXTENSION)--$(EXTVERSION).sql

# The ready register is an extension of its own (requires bangfu), so that a
# county can install the rules alone; same version, one script.
REGISTER        = bangfu_register
REGISTER_PARTS  = src/register.sql
REGISTER_BUILT  = $(REGISTER)--$(EXTVERSION).sql

MODULE_big  = $(EXTENSION)
CORE_SRCS   = $(wildcard src/*_core.c)
GLUE_SRCS   = $(filter-out $(CORE_SRCS),$(wildcard src/*.c))
OBJS        = $(patsubst %.c,%.o,$(wildcard src/*.c))

DATA_built  = $(SQL_BUILT) $(REGISTER_BUILT)
# Upgrade scripts (bangfu--A--B.sql) and the install scripts of released
# versions, kept frozen so that an upgrade from them can be tested; the
# register's control file and its scripts from 'unpackaged' (a 0.2.0
# register, which was part of bangfu, adopted).
DATA        = $(wildcard src/update/$(EXTENSION)--*.sql) $(REGISTER).control \
              $(wildcard src/update/$(REGISTER)--*.sql)
EXTRA_CLEAN = $(SQL_BUILT) $(REGISTER_BUILT) test/unit/run_unit test/unit/fuzz_tiers test/unit/fuzz_cnid

PG_CPPFLAGS = -I$(srcdir)/src -DBANGFU_VERSION=\"$(EXTVERSION)\"
# Calls between bangfu's own functions need not go through the PLT.
PG_CFLAGS   = -fno-semantic-interposition
SHLIB_LINK  = -Wl,-Bsymbolic

# pg_regress tests: every file in sql/, in name order.
REGRESS      = $(sort $(patsubst sql/%.sql,%,$(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=.

# isolation specs under test/isolation/specs
ISOLATION      = $(sort $(patsubst test/isolation/specs/%.spec,%,$(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --outputdir=output_iso

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(SQL_BUILT): $(SQL_PARTS) $(EXTENSION).control
	cat $(SQL_PARTS) > $@

$(REGISTER_BUILT): $(REGISTER_PARTS) $(REGISTER).control $(EXTENSION).control
	@grep -q "^default_version *= *'$(EXTVERSION)'" $(REGISTER).control || \
	    { echo "$(REGISTER).control: default_version is not $(EXTVERSION), bangfu's"; exit 1; }
	cat $(REGISTER_PARTS) > $@

# The pure cores compile without postgres.h: unit tests and fuzzers.
UNIT_CFLAGS = -std=c99 -O1 -g -Wall -Wextra -Werror -Isrc
test/unit/run_unit: test/unit/run_unit.c test/unit/test_util.h $(CORE_SRCS) $(wildcard src/*_core.h)
	$(CC) $(UNIT_CFLAGS) -fsanitize=address,undefined -o $@ $(filter %.c,$^)

test/unit/fuzz_%: test/unit/fuzz_%.c test/unit/test_util.h $(CORE_SRCS)
	clang -g -O1 -Isrc -fsanitize=fuzzer,address,undefined -o $@ $< $(CORE_SRCS)

.PHONY: unit fuzz
unit: test/unit/run_unit
	test/unit/run_unit

FUZZ_SECONDS ?= 20
fuzz: test/unit/fuzz_tiers
	mkdir -p test/unit/corpus_tiers
	test/unit/fuzz_tiers -max_total_time=$(FUZZ_SECONDS) -dict=test/unit/tiers.dict test/unit/corpus_tiers test/unit/seeds_tiers

# PGXS does not track header dependencies: rebuild every object when a header changes.
$(OBJS): $(wildcard src/*.h)
# bangfu.version() is compiled in from the control file.
src/bangfu.o: $(EXTENSION).control
