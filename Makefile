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
# bf_need FILES[,PREFIX]: a list of files that must all exist (the parts of
# the install scripts, checked at the end of this file once every list is
# complete; a suite's own files, bf_check below): one that does not is an
# error naming it, never a shorter script or suite.
bf_need     = $(foreach f,$(1),$(if $(wildcard $(BF_SRCDIR)/$(f)),$(f),$(error $(2)$(f) is listed in the Makefile but does not exist (in $(BF_SRCDIR)))))
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
# restore.sql, which sets the triggers privileges.sql made), and last the
# guard that keeps a DROP from deleting entered rows (drop_guard.sql).
SQL_PARTS   = src/base.sql src/messages.sql src/tiers.sql src/policy.sql src/people.sql src/limits.sql \
              src/cnid.sql src/medical.sql src/relief.sql src/pension.sql src/employer.sql \
              src/loan.sql src/handicraft.sql src/settle.sql src/policy_money.sql \
              src/privileges.sql src/restore.sql src/drop_guard.sql
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
EXTRA_CLEAN = $(SQL_BUILT) $(REGISTER_BUILT) $(REGISTER_ADOPT) $(UNIT_TESTS) test/unit/fuzz_tiers test/unit/fuzz_cnid

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

# ---------------------------------------------------------------- tests
# One target per suite of scripts/test.sh, which runs exactly these (each
# command is written here once; CONTRIBUTING.md lists them).  The suites
# that need a server reach it through the libpq variables (PGHOST, PGPORT,
# PGUSER: a superuser), e.g. the throwaway cluster of scripts/cluster.sh,
# with bangfu installed for it.  A suite with nothing to run fails.
BF_SUITES = harness unit fuzz fuzz-tiers fuzz-cnid messages out-of-tree regress \
            isolation pgtap fixture security svg live sqlsmith load dump-restore upgrade \
            clients docs encodings standby logical collations aging pg-upgrade package
.PHONY: $(BF_SUITES)
# the server's own client programs first, as for PGXS's installcheck; a
# suite's script runs as scripts/test.sh ran it before: with PG_CONFIG and
# without this make's flags and variables (MAKEFLAGS would hand PG_CONFIG
# to the makes of pg_buildext in scripts/package.sh, and -n or -s to all)
BF_PATH     = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH='$(bindir)':"$$PATH" PG_CONFIG='$(PG_CONFIG)'
# bf_check: a suite's own files must exist (a stale binary must not pass for
# a test whose source was renamed away)
bf_check    = $(if $(call bf_need,$(2),$(1): ),)
# bf_orphans DIR,TESTDIR,EXT: the expected outputs in DIR (name.out, or
# name_N.out for an alternative) whose test TESTDIR/name.EXT is gone: a test
# renamed or deleted by mistake must fail, not leave a shorter suite green
bf_orphans  = $(strip $(foreach e,$(call bf_src,$(1)/*.out),$(if $(wildcard $(BF_SRCDIR)/$(2)/$(patsubst %_1,%,$(patsubst %_2,%,$(patsubst %_3,%,$(basename $(notdir $(e)))))).$(3)),,$(e))))
# bf_show: a suite's diff, capped so that a wholesale mismatch cannot bury the rest
bf_show     = if [ -s $(1) ]; then echo "---- $(1) ----"; head -n 1000 $(1); echo "---- end of $(1) ----"; fi

# The pure cores compile without postgres.h: unit tests and fuzzers.
# unit: every C unit test, with ASan and UBSan; each runs even if one fails.
UNIT_CFLAGS = -std=c99 -O1 -g -Wall -Wextra -Werror -I$(BF_SRCDIR)/src
UNIT_TESTS  = test/unit/run_unit test/unit/cnid_unit
test/unit/run_unit: test/unit/run_unit.c test/unit/test_util.h $(CORE_SRCS) $(call bf_src,src/*_core.h)
	$(CC) $(UNIT_CFLAGS) -fsanitize=address,undefined -o $@ $(filter %.c,$^)

test/unit/cnid_unit: test/unit/cnid_unit.c $(CORE_SRCS) $(call bf_src,src/*_core.h)
	$(CC) $(UNIT_CFLAGS) -fsanitize=address,undefined -o $@ $(filter %.c,$^)

unit: $(UNIT_TESTS)
	$(call bf_check,unit,$(addsuffix .c,$(UNIT_TESTS)))
	@rc=0; for t in $^; do echo "$$t"; $$t || rc=1; done; exit $$rc

test/unit/fuzz_%: test/unit/fuzz_%.c test/unit/test_util.h $(CORE_SRCS)
	clang -g -O1 -I$(BF_SRCDIR)/src -fsanitize=fuzzer,address,undefined -o $@ $< $(filter %_core.c,$^)

# fuzz: both fuzzers, FUZZ_SECONDS each; the corpus grows in test/unit/corpus_*.
FUZZ_SECONDS ?= 20
bf_fuzz     = $(call bf_check,fuzz-$(1),test/unit/fuzz_$(1).c test/unit/seeds_$(1)) mkdir -p test/unit/corpus_$(1) && \
              $< -max_total_time=$(FUZZ_SECONDS) \
              $(addprefix -dict=,$(wildcard $(BF_SRCDIR)/test/unit/$(1).dict)) \
              test/unit/corpus_$(1) $(BF_SRCDIR)/test/unit/seeds_$(1)
fuzz: fuzz-tiers fuzz-cnid
fuzz-tiers: test/unit/fuzz_tiers
	$(call bf_fuzz,tiers)
fuzz-cnid: test/unit/fuzz_cnid
	$(call bf_fuzz,cnid)

# regress and isolation: the two halves of PGXS's installcheck, alone (a
# regress failure cannot hide the isolation result).  One file:
# make regress REGRESS=medical, make isolation ISOLATION=limit_relief_once.
regress:
	$(if $(strip $(REGRESS)),,$(error regress: no pg_regress test (sql/*.sql)))
	$(if $(call bf_orphans,expected,sql,sql),$(error regress: no test in sql/ for $(call bf_orphans,expected,sql,sql)))
	rm -rf results regression.diffs regression.out
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS) || { $(call bf_show,regression.diffs); exit 1; }

isolation:
	$(if $(strip $(ISOLATION)),,$(error isolation: no isolation spec (test/isolation/specs/*.spec)))
	$(if $(call bf_orphans,test/isolation/expected,test/isolation/specs,spec),$(error isolation: no spec in test/isolation/specs/ for $(call bf_orphans,test/isolation/expected,test/isolation/specs,spec)))
	rm -rf output_iso
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION) || { $(call bf_show,output_iso/regression.diffs); exit 1; }

# pgtap: each file runs BEGIN; plan(N); ...; ROLLBACK; in database
# PGTAP_DB, made afresh with pgtap and bangfu (the rules alone: a file that
# needs the register creates bangfu_register inside its transaction).
# One file: make pgtap PGTAP=test/pgtap/limits.sql (paths from the source
# directory).  Files that grant to the departments' roles (policy.sql) need
# them in the cluster: any install of bangfu_register there makes them.
PGTAP      ?= $(sort $(call bf_src,test/pgtap/*.sql))
PGTAP_DB   ?= bangfu_tap
pgtap:
	$(if $(strip $(PGTAP)),,$(error pgtap: no pgTAP file (test/pgtap/*.sql)))
	$(BF_PATH) dropdb --if-exists $(PGTAP_DB)
	$(BF_PATH) createdb $(PGTAP_DB)
	$(BF_PATH) psql -X -q -v ON_ERROR_STOP=1 -d $(PGTAP_DB) \
	    -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu CASCADE'
	cd $(BF_SRCDIR) && $(BF_PATH) pg_prove --failures -d $(PGTAP_DB) $(PGTAP)

# security: the attack files of test/security/ (scripts/security_test.sh);
# one: make security SECURITY=test/security/access_install.sh
SECURITY   ?=
security:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/security_test.sh $(SECURITY)

# Every other suite is one script of scripts/, run with this PG_CONFIG.
harness:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/test_selftest.sh
messages:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/po_check.sh
out-of-tree:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/outoftree.sh
fixture:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/fixture_test.sh
svg:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/svg_test.sh
live:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/live_test.sh
sqlsmith:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/sqlsmith.sh
load:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/load.sh
dump-restore:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/dump_restore_test.sh
upgrade:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/upgrade_test.sh
clients:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/clients_test.sh
docs:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/doc_test.sh
encodings:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/encoding_test.sh
standby:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/standby_test.sh
logical:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/logical_test.sh
collations:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/collation_test.sh
aging:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/aging_test.sh
pg-upgrade:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/pg_upgrade_test.sh
package:
	$(BF_PATH) bash $(BF_SRCDIR)/scripts/package.sh

# PGXS does not track header dependencies: rebuild every object when a header changes.
$(OBJS): $(call bf_src,src/*.h)
# bangfu.version() is compiled in from the control file.
src/bangfu.o: $(EXTENSION).control

# ---------------------------------------------------------------- NLS
# Translations of bangfu's messages (issue 10).  PGXS does NLS only for
# PostgreSQL's own tree, so the rules are here.  The catalog is po/bangfu.pot
# (`make po-update` extracts it from src/*.c and src/*.h and merges it into every
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
	    -o $(PO_DIR)/bangfu.pot $(sort $(wildcard src/*.c src/*.h))
	$(XGETTEXT) -L C --from-code=UTF-8 --no-wrap --sort-by-file -n -j \
	    -k -kbf_rule_error:3 --flag=bf_rule_error:3:no-c-format \
	    -o $(PO_DIR)/bangfu.pot $(sort $(wildcard src/*.c src/*.h))
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

# ---------------------------------------------------------------- parts
# Every part listed above exists (bf_need): a part renamed or deleted stops
# the build, naming it, instead of leaving it out of the script.
bf_parts_checked := $(call bf_need,$(SQL_PARTS) $(REGISTER_PARTS) $(REGISTER_ADOPT_SRC) $(REGISTER_ADOPT_ADD))
