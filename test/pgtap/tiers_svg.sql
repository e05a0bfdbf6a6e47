-- pgTAP: bangfu.tiers_svg, a picture of a schedule (issue 13).  The drawing
-- carries its exact amounts in data-* attributes; these tests read them with
-- xpath and compare them with bangfu.apply, so the picture is the schedule.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu.
BEGIN;
SELECT plan(25);

CREATE TEMP TABLE s(name text PRIMARY KEY, t bangfu.tiers);
-- 四(1) as shipped (flat), and the same brackets read marginally (分段计算)
INSERT INTO s VALUES
  ('flat', 'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
  ('marginal', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
  ('lowcap', 'flat: [0,6000] 10%, (6000,) 15%; cap 1000'),
  ('open_low', 'flat: [0,6000) 10%, [6000,) 15%');
CREATE TEMP TABLE pic AS
SELECT name, bangfu.tiers_svg(t)::xml AS x FROM s
UNION ALL
SELECT 'both', bangfu.tiers_svg(f.t, 30000, m.t, '四(1) in force', '分段 proposal')::xml
  FROM s f, s m WHERE f.name = 'flat' AND m.name = 'marginal';

CREATE FUNCTION pg_temp.q(doc text, path text) RETURNS text[] LANGUAGE sql AS $$
  SELECT xpath(path, x, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] FROM pic WHERE name = doc
$$;

SELECT has_function('bangfu', 'tiers_svg', ARRAY['bangfu.tiers', 'numeric', 'bangfu.tiers', 'text', 'text', 'text'],
                    'tiers_svg(tiers, upto, compare, label, compare_label, title)');
SELECT volatility_is('bangfu', 'tiers_svg', ARRAY['bangfu.tiers', 'numeric', 'bangfu.tiers', 'text', 'text', 'text'],
                     'immutable', 'tiers_svg is IMMUTABLE');
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'bangfu.tiers_svg(bangfu.tiers,numeric,bangfu.tiers,text,text,text)'::regprocedure),
          's', 'tiers_svg is PARALLEL SAFE');

-- The default range runs a fifth past the last bound (20000), on a tick.
SELECT is(pg_temp.q('flat', '/s:svg/@data-upto'), '{24000.00}', 'default upto: 24,000 (a fifth past 20,000)');
-- Flat: one segment per bracket, a jump at each of the three bounds.
SELECT is(cardinality(pg_temp.q('flat', '//s:polyline[@class="segment"]')), 4, 'flat 四(1): 4 segments');
SELECT is(cardinality(pg_temp.q('flat', '//s:line[@class="jump"]')), 3, 'flat 四(1): 3 jumps');
SELECT is(pg_temp.q('flat', '//s:polyline[@class="segment"]/@data-from'),
          '{0.00,6000.00,12000.00,20000.00}', 'segments start at 0 and at each bound');
-- At 6000: the closed marker is the value at the bound (it belongs to
-- [0,6000]), the open one the value one fen above it.
SELECT is(pg_temp.q('flat', '//s:circle[@class="bound closed"][@data-amount="6000.00"]/@data-benefit'),
          ARRAY[bangfu.apply(t, 6000)::text], 'closed at 6000: apply(6000) = 600.00') FROM s WHERE name = 'flat';
SELECT is(pg_temp.q('flat', '//s:circle[@class="bound open"][@data-amount="6000.00"]/@data-benefit'),
          ARRAY[bangfu.apply(t, 6000.01)::text], 'open at 6000: apply(6000.01) = 900.00') FROM s WHERE name = 'flat';
SELECT is(pg_temp.q('flat', '//s:circle[@data-amount="20000.00"]/@data-benefit'),
          '{4000.00,5000.00}', 'at 20000: 4000.00 closed, 5000.00 open');
-- The bound in the higher bracket: [0,6000) then [6000,): open below, closed above.
SELECT is(pg_temp.q('open_low', '//s:circle[@class="bound open"]/@data-benefit'),
          ARRAY[bangfu.apply(t, 5999.99)::text], 'open at 6000 from below: apply(5999.99)') FROM s WHERE name = 'open_low';
SELECT is(pg_temp.q('open_low', '//s:circle[@class="bound closed"]/@data-benefit'),
          '{900.00}', 'closed at 6000 from above: 900.00');
-- Pixels: x maps 0..24000 onto 90..710, y 0..ymax onto 410..50.
SELECT is(pg_temp.q('flat', '//s:circle[@class="bound closed"][@data-amount="6000.00"]/@cx'), '{245.00}', 'x of 6000 is 245.00');
SELECT is(pg_temp.q('flat', '//s:polyline[@class="segment"][1]/@points'), '{"90.00,410.00 245.00,398.00"}',
          'first segment from (0, 0) to (6000, 600)');
-- The cap as a horizontal line.
SELECT is(pg_temp.q('flat', '//s:line[@class="cap"]/@data-cap'), '{15000.00}', 'cap line at 15,000');
SELECT is(pg_temp.q('flat', '//s:line[@class="cap"]/@y1'), pg_temp.q('flat', '//s:line[@class="cap"]/@y2'), 'the cap line is horizontal');

-- Marginal: one continuous polyline, no jumps, no markers.
SELECT is(cardinality(pg_temp.q('marginal', '//s:polyline[@class="segment"]')), 1, 'marginal: one polyline');
SELECT is(cardinality(pg_temp.q('marginal', '//s:circle')), 0, 'marginal: no open/closed markers');

-- A cap that bites inside a bracket puts a kink where it starts: 15% of
-- 6666.67 = 1000.0005 rounds to 1000.00, the first capped fen.
SELECT is(cardinality(string_to_array((pg_temp.q('lowcap', '//s:polyline[@class="segment"][2]/@points'))[1], ' ')), 4,
          'capped bracket: start, just before the kink, the kink, end');

-- Two schedules, each in its group, and a legend naming both.
SELECT is(pg_temp.q('both', '//s:g[@class="schedule"]/@data-role'), '{primary,compare}', 'policy and proposal drawn');
SELECT is(pg_temp.q('both', '//s:g[@class="legend"]/s:text/text()'), '{"四(1) in force","分段 proposal"}', 'legend names both');
SELECT is(pg_temp.q('both', '/s:svg/@data-upto'), '{30000.00}', 'upto as given');

-- Ticks in yuan with thousands separators, spaced so that the labels fit.
SELECT is(xpath('//s:line[@class="xtick"]/following-sibling::s:text[1]/text()',
                bangfu.tiers_svg('[0,300000) 0, [300000,) 5000', 2000000)::xml,
                ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[],
          '{0,"500,000","1,000,000","1,500,000","2,000,000"}', '八(3) up to 2,000,000: five readable x ticks');

-- Bad arguments: class 22, naming the argument.
SELECT throws_ok($$SELECT bangfu.tiers_svg('[0,) 10%', -1)$$, '22023', NULL, 'negative upto is refused');
SELECT throws_ok($$SELECT bangfu.tiers_svg('[0,) 10%', 0)$$, '22023', 'upto must be more than 0', 'upto 0 is refused');

SELECT * FROM finish();
ROLLBACK;
