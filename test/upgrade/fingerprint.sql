-- test/upgrade/fingerprint.sql: what the installed extensions (bangfu and,
-- if installed, bangfu_register) are made of, one line per object, without
-- OIDs; an updated database and a fresh install of the same version must
-- print the same lines (scripts/upgrade_test.sh).
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
SET search_path = pg_catalog;

CREATE TEMP VIEW member AS
SELECT d.classid, d.objid, d.objsubid, e.extname
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND e.extname IN ('bangfu', 'bangfu_register') AND d.deptype = 'e';

-- The extensions: version, what they require, the schema (with its comment
-- and privileges: not a member), and what pg_dump keeps of their tables.
SELECT format('extension %s %s schema %s comment %s acl %s requires %s', e.extname, e.extversion, n.nspname,
              obj_description(n.oid, 'pg_namespace'), coalesce(n.nspacl::text, '-'),
              coalesce((SELECT string_agg(r.extname, ',' ORDER BY r.extname) FROM pg_depend d
                          JOIN pg_extension r ON r.oid = d.refobjid
                         WHERE d.classid = 'pg_extension'::regclass AND d.objid = e.oid
                           AND d.refclassid = 'pg_extension'::regclass), '-'))
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname IN ('bangfu', 'bangfu_register')
ORDER BY 1;
SELECT format('dump %s %s %s', e.extname, c.tab::regclass, c.cond)
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS c(tab, cond)
WHERE e.extname IN ('bangfu', 'bangfu_register')
ORDER BY 1;

-- Event triggers: when they fire and whether they are enabled.
SELECT format('event trigger %s on %s tags %s enabled %s function %s', t.evtname, t.evtevent, t.evttags,
              t.evtenabled, t.evtfoid::regprocedure)
FROM pg_event_trigger t
ORDER BY 1;

-- Every member with its extension, its definition, its privileges and its comment.
SELECT m.extname || ': ' || pg_describe_object(m.classid, m.objid, m.objsubid) || ' | ' ||
       coalesce(CASE m.classid
           WHEN 'pg_proc'::regclass THEN
               (SELECT CASE WHEN p.prokind = 'a'
                            THEN format('aggregate %s(%s) returns %s', p.proname,
                                        pg_get_function_arguments(p.oid), pg_get_function_result(p.oid))
                            ELSE pg_get_functiondef(p.oid) END
                       || ' acl ' || coalesce(p.proacl::text, '-')
                FROM pg_proc p WHERE p.oid = m.objid)
           WHEN 'pg_class'::regclass THEN
               (SELECT format('kind %s acl %s', c.relkind, coalesce(c.relacl::text, '-'))
                       || coalesce(' view ' || pg_get_viewdef(c.oid), '')
                       || ' columns ' || coalesce((SELECT string_agg(format('%s %s%s%s', a.attname,
                                                      format_type(a.atttypid, a.atttypmod),
                                                      CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                                                      coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')),
                                                      ', ' ORDER BY a.attnum)
                                            FROM pg_attribute a
                                            LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '-')
                FROM pg_class c WHERE c.oid = m.objid)
           WHEN 'pg_type'::regclass THEN
               (SELECT format('type %s %s len %s', format_type(t.oid, NULL), t.typtype, t.typlen)
                       || coalesce(' labels ' || (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder)
                                                  FROM pg_enum WHERE enumtypid = t.oid), '')
                FROM pg_type t WHERE t.oid = m.objid)
           ELSE '' END, '')
       || coalesce(' comment ' || obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)), '')
FROM member m
ORDER BY 1;

-- What hangs on the member tables: constraints, indexes, triggers.
SELECT format('constraint %s on %s: %s', co.conname, co.conrelid::regclass, pg_get_constraintdef(co.oid))
FROM pg_constraint co
WHERE co.conrelid IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass)
ORDER BY 1;
SELECT format('index %s', pg_get_indexdef(i.indexrelid))
FROM pg_index i
WHERE i.indrelid IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass)
ORDER BY 1;
-- (not those of a limit the county attached by hand: its data, which
-- register_data.sql compares, as bangfu.limit_member_attachment keeps it)
SELECT format('trigger %s enabled %s', pg_get_triggerdef(tg.oid), tg.tgenabled)
FROM pg_trigger tg
WHERE tg.tgrelid IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass) AND NOT tg.tgisinternal
  AND NOT EXISTS (SELECT FROM bangfu.limit_member_attachment k
                   WHERE k.tab = tg.tgrelid::regclass
                     AND tg.tgname IN ('zz_bangfu_' || k.limit_name, 'zz_bangfu_' || k.limit_name || '_after',
                                       'zz_bangfu_' || k.limit_name || '_flush'))
ORDER BY 1;

-- The shipped policy and its parameters (not when they were recorded).
SELECT format('policy %s %s %s %s %s %s %s %s', p.param, p.valid_from, p.tiers, p.amount, p.count,
              p.band, p.note, p.shipped)
FROM bangfu.policy p WHERE p.shipped ORDER BY 1;
SELECT format('param %s', pp) FROM bangfu.policy_param pp ORDER BY 1;
-- The shipped limits (the register ships one of its own).
SELECT format('limit %s', l) FROM bangfu.limit_def l WHERE l.shipped ORDER BY 1;
