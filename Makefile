# bangfu: PGXS build.  The version lives in bangfu.control only; this file
# carries it into the install script name and into the C code.
EXTENSION   = bangfu

# Out-of-tree builds: `make -f /path/to/bangfu/Makefile` from another
# directory, or pg_buildext's build-NN directories (VPATH=/path/to/bangfu).
# Objects, the assembled install script and test results go to the current
# directory; every source is looked up beside this Makefile. PGXS itself sets
# srcdir and VPATH to that directory; the file lists below need it earlier,
# so bf_src lists a wildcard relative to it.
BF_SRCDIR  := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
bf_src      = $(patsubst $(BF_SRCDIR)/%,%,$(wildcard $(addprefix $(BF_SRCDIR)/,$(1))))
ifneq ($(BF_SRCDIR),$(CURDIR))
$(shell mkdir -p src test/unit)
endif

EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(BF_SRCDIR)/$(EXTENSION).control)

PG_CONFIG  ?= pg_config

# The install script is assembled from one SQL file per concern, in this order
# (a part uses only what the parts before it made): the runtime (types, the
# policy store, the limit engine), then one part per clause beside its C
# (src/<clause>.c + src/<clause>.sql: parameters, functions, aggregates,
# limit rows), then what must follow every shipped row (privileges.sql, then
# restore.sql, which sets the triggers privileges.sql made).
SQL_PARTS   = src/base.sql src/messages.sql src/tiers.sql src/policy.sql src/people.sql src/limits.sql \
              src/cnid.sql src/medical.sql src/relief.sql src/pension.sql src/employer.sql \
              src/loan.sql src/handicraft.sql src/settle.sql src/policy_money.sql \
              src/privileges.sql src/restore.sql
SQL_PARTS  := $(call bf_src,$(SQL_PARTS))
SQL_BUILT   = $(EXTENSION)--$(EXTVERSION).sql

# The ready register is an extension of its own (requires bangfu), so that a
# county can install the rules alone; same version, one script.
REGISTER        = bangfu_register
# issue 13: the funds (0.2.0's section, src/register_funds.sql), money that
# can be followed (src/register_money.sql) and the reports, last
# (src/register_reports.sql); issue 14: the clauses about people and duties
# (三, 五, 六, 七, 八(1), 十, 十二)
REGISTER_PARTS  = src/register.sql src/register_funds.sql src/register_money.sql \
                  src/verify.sql $(REGISTER_PEOPLE) src/register_reports.sql
REGISTER_PEOPLE = src/register_employment.sql src/register_pairing.sql src/register_training.sql src/register_jobs.sql
REGISTER_BUILT  = $(REGISTER)--$(EXTVERSION).sql
# Adopting a 0.2.0 register ('unpackaged') must end with what a fresh install
# has: objects added to the register since then in files of their own (issue
# 13: src/register_money.sql, src/verify.sql, src/register_reports.sql) are
# appended to the frozen adoption script; src/register_funds.sql is 0.2.0's.
REGISTER_ADOPT_SRC = src/update/$(REGISTER)--unpackaged--$(EXTVERSION).sql
REGISTER_ADOPT     = $(REGISTER)--unpackaged--$(EXTVERSION).sql
REGISTER_ADOPT_ADD = src/register_money.sql src/verify.sql $(REGISTER_PEOPLE) src/register_reports.sql

MODULE_big  = $(EXTENSION)
CORE_SRCS   = $(call bf_src,src/*_core.c)
GLUE_SRCS   = $(filter-out $(CORE_SRCS),$(call bf_src,src/*.c))
OBJS        = $(patsubst %.c,%.o,$(call bf_src,src/*.c))

DATA_built  = $(SQL_BUILT) $(REGISTER_BUILT) $(REGISTER_ADOPT)
# Upgrade scripts (bangfu--A--B.sql) and the install scripts of released
# versions, kept frozen so that an upgrade from them can be tested; the
# register's control file and its scripts from 'unpackaged' (a 0.2.0
# register, which was part of bangfu, adopted).
DATA        = $(call bf_src,src/update/$(EXTENSION)--*.sql) $(REGISTER).control \
              $(filter-out $(REGISTER_ADOPT_SRC),$(call bf_src,src/update/$(REGISTER)--*.sql))
EXTRA_CLEAN = $(SQL_BUILT) $(REGISTER_BUILT) $(REGISTER_ADOPT) test/unit/run_unit test/unit/fuzz_tiers test/unit/fuzz_cnid

PG_CPPFLAGS = -I$(srcdir)/src -DBANGFU_VERSION=\"$(EXTVERSION)\"
# Messages are looked up in bangfu's own catalog, bangfu-<major> (see NLS
# below and the header).
PG_CPPFLAGS += -include $(srcdir)/src/bangfu_nls.h
# Calls between bangfu's own functions need not go through the PLT.
PG_CFLAGS   = -fno-semantic-interposition
SHLIB_LINK  = -Wl,-Bsymbolic

# pg_regress tests: every file in sql/, in name order.
REGRESS      = $(sort $(patsubst sql/%.sql,%,$(call bf_src,sql/*.sql)))
REGRESS_OPTS = --inputdir=$(BF_SRCDIR)

# isolation specs under test/isolation/specs
ISOLATION      = $(sort $(patsubst test/isolation/specs/%.spec,%,$(call bf_src,test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=$(BF_SRCDIR)/test/isolation --outputdir=output_iso

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(SQL_BUILT): $(SQL_PARTS) $(EXTENSION).control
	cat $(filter %.sql,$^) > $@

$(REGISTER_BUILT): $(REGISTER_PARTS) $(REGISTER).control $(EXTENSION).control
	@grep -q "^default_version *= *'$(EXTVERSION)'" $(BF_SRCDIR)/$(REGISTER).control || \
	    { echo "$(REGISTER).control: default_version is not $(EXTVERSION), bangfu's"; exit 1; }
	cat $(filter %.sql,$^) > $@

$(REGISTER_ADOPT): $(REGISTER_ADOPT_SRC) $(REGISTER_ADOPT_ADD)
	cat $^ > $@

# The pure cores compile without postgres.h: unit tests and fuzzers.
UNIT_CFLAGS = -std=c99 -O1 -g -Wall -Wextra -Werror -I$(BF_SRCDIR)/src
test/unit/run_unit: test/unit/run_unit.c test/unit/test_util.h $(CORE_SRCS) $(call bf_src,src/*_core.h)
	$(CC) $(UNIT_CFLAGS) -fsanitize=address,undefined -o $@ $(filter %.c,$^)

test/unit/fuzz_%: test/unit/fuzz_%.c test/unit/test_util.h $(CORE_SRCS)
	clang -g -O1 -I$(BF_SRCDIR)/src -fsanitize=fuzzer,address,undefined -o $@ $< $(filter %_core.c,$^)

.PHONY: unit fuzz
unit: test/unit/run_unit
	test/unit/run_unit

FUZZ_SECONDS ?= 20
fuzz: test/unit/fuzz_tiers
	mkdir -p test/unit/corpus_tiers
	test/unit/fuzz_tiers -max_total_time=$(FUZZ_SECONDS) -dict=test/unit/tiers.dict test/unit/corpus_tiers test/unit/seeds_tiers

# PGXS does not track header dependencies: rebuild every object when a header changes.
$(OBJS): $(call bf_src,src/*.h)
# bangfu.version() is compiled in from the control file.
src/bangfu.o: $(EXTENSION).control

# ---------------------------------------------------------------- NLS
# Translations of bangfu's messages (issue 10).  PGXS does NLS only for
# PostgreSQL's own tree, so the rules are here.  The catalog is po/bangfu.pot
# (`make po-update` extracts it from src/*.c and merges it into every
# po/LANG.po); `make` compiles po/LANG.po into po/LANG.mo and `make install`
# puts it where the server's gettext looks for text domain bangfu-<major>:
# $(pg_config --localedir)/LANG/LC_MESSAGES/bangfu-<major>.mo.  See po/README.md.
NLS_LANGUAGES  = $(patsubst $(srcdir)/po/%.po,%,$(wildcard $(srcdir)/po/*.po))
NLS_MO         = $(patsubst %,po/%.mo,$(NLS_LANGUAGES))
NLS_DOMAIN     = bangfu-$(MAJORVERSION)
NLS_LOCALEDIR  = $(shell $(PG_CONFIG) --localedir)
MSGFMT        ?= msgfmt
MSGMERGE      ?= msgmerge
XGETTEXT      ?= xgettext
# PostgreSQL's message functions (its nls-global.mk and backend nls.mk),
# BF_MSG, the marker of src/messages.c, src/rules.c's bf_rule_error, bf_
# (src/bangfu_nls.h), and the pure cores' BF_T, BF_N and fail()s (src/nls_core.h).
NLS_KEYWORDS   = errmsg errmsg_plural:1,2 errdetail errdetail_log \
                 errdetail_plural:1,2 errhint errcontext gettext_noop _ N_ BF_MSG \
                 bf_rule_error:4 bf_ BF_T BF_N fail:2 fail:4
NLS_FLAGS      = errmsg:1:c-format errmsg_plural:1:c-format errmsg_plural:2:c-format \
                 errdetail:1:c-format errdetail_log:1:c-format \
                 errdetail_plural:1:c-format errdetail_plural:2:c-format \
                 errhint:1:c-format errcontext:1:c-format BF_MSG:1:c-format \
                 bf_rule_error:4:c-format bf_:1:c-format \
                 fail:2:c-format fail:4:c-format BF_N:1:no-c-format

all: $(NLS_MO)
EXTRA_CLEAN += $(NLS_MO)

# (in the build directory: an out-of-tree build finds the .po by VPATH)
po/%.mo: po/%.po
	@$(MKDIR_P) po
	$(MSGFMT) --check -o $@ $<

.PHONY: po-update po-update-into install-nls uninstall-nls
# The catalog as the sources have it now, then every translation merged
# with it (new messages come in untranslated: translate them, then
# `bash scripts/po_check.sh` must pass).  po-update-into does the same in
# another directory (PO_DIR, holding copies of the .po files): po_check.sh.
po-update:
	$(MAKE) po-update-into PO_DIR=po

# bf_rule_error's hint (argument 3) is taken in a second pass (-j): xgettext
# takes only one argument of a call that has two literals for one keyword.
PO_DIR ?= po
po-update-into:
	$(XGETTEXT) -L C --from-code=UTF-8 --no-wrap --sort-by-file -n \
	    --package-name=bangfu --package-version=$(EXTVERSION) \
	    --msgid-bugs-address='https://github.com/bangfu/bangfu/issues' \
	    $(addprefix -k,$(NLS_KEYWORDS)) $(addprefix --flag=,$(NLS_FLAGS)) \
	    -o $(PO_DIR)/bangfu.pot $(sort $(wildcard src/*.c))
	$(XGETTEXT) -L C --from-code=UTF-8 --no-wrap --sort-by-file -n -j \
	    -k -kbf_rule_error:3 --flag=bf_rule_error:3:no-c-format \
	    -o $(PO_DIR)/bangfu.pot $(sort $(wildcard src/*.c))
	for lang in $(NLS_LANGUAGES); do \
	    $(MSGMERGE) --quiet --update --backup=none --no-wrap --sort-by-file $(PO_DIR)/$$lang.po $(PO_DIR)/bangfu.pot || exit 1; \
	done

install: install-nls
# $^, not po/LANG.mo: in an out-of-tree build make may find an up-to-date
# .mo beside the sources through VPATH instead of building one here.
install-nls: $(NLS_MO)
	for mo in $^; do \
	    lang=$$(basename "$$mo" .mo); \
	    $(MKDIR_P) '$(DESTDIR)$(NLS_LOCALEDIR)'/$$lang/LC_MESSAGES || exit 1; \
	    $(INSTALL_DATA) "$$mo" '$(DESTDIR)$(NLS_LOCALEDIR)'/$$lang/LC_MESSAGES/$(NLS_DOMAIN).mo || exit 1; \
	done

uninstall: uninstall-nls
uninstall-nls:
	for lang in $(NLS_LANGUAGES); do \
	    rm -f '$(DESTDIR)$(NLS_LOCALEDIR)'/$$lang/LC_MESSAGES/$(NLS_DOMAIN).mo; \
	done
