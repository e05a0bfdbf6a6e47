#!/usr/bin/env bash
#
# scripts/svg_test.sh: does bangfu.tiers_svg draw something a browser can
# show (issue 13)?  Renders 四(1)'s schedule with a marginal proposal over it
# to PNG with rsvg-convert (Debian librsvg2-bin) and checks the PNG: a valid
# signature and IHDR of the SVG's size, and pixels that are not all one
# colour.  Needs the cluster's libpq variables and bangfu installed.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
db=bangfu_svg
dropdb --if-exists "$db"
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION bangfu'
psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -o "$out/schedule.svg" -c "
    SELECT bangfu.tiers_svg(tiers, NULL, bangfu.with_mode(tiers, 'marginal'),
                            '四(1) in force (flat)', 'proposal: marginal',
                            '四(1) charity-bed reduction')
      FROM bangfu.policy WHERE param = 'medical.charity_bed' AND valid_from = '-infinity'"
dropdb "$db"

rsvg-convert -f png -o "$out/schedule.png" "$out/schedule.svg"
python3 - "$out/schedule.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        ihdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
w, h, depth, colour = ihdr[:4]
assert (w, h) == (760, 480), f'size {w}x{h}, not 760x480'
assert depth == 8 and colour in (2, 6), f'unexpected PNG format depth {depth} colour {colour}'
bpp = 4 if colour == 6 else 3
raw = zlib.decompress(idat)
stride = w * bpp + 1
# undo the row filters, then count the distinct colours and the non-white pixels
prev = bytearray(w * bpp)
colours, ink = set(), 0
for y in range(h):
    f, row = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, len(row), bpp):
        px = bytes(row[x:x + 3])
        colours.add(px)
        if px != b'\xff\xff\xff':
            ink += 1
    prev = row
assert len(colours) > 2, f'only {len(colours)} colours: blank'
assert ink > 2000, f'only {ink} non-white pixels: blank'
print(f'svg_test: {w}x{h} PNG, {len(colours)} colours, {ink} non-white pixels')
PY
