#!/usr/bin/env bash
# Makes fonts/DossierSans-Regular.ttf and fonts/DossierSans-Bold.ttf, the fonts the
# PDFs embed, from fonts/LiberationSans-Regular.ttf and -Bold.ttf (Liberation Sans
# 2.1.5, SIL Open Font License 1.1). What it changes and why: fonts/FONTLOG.txt.
#
#   - keeps the glyphs of every printable character of the eight code pages dossier
#     prints with (CP1252, CP1250, ISO 8859-16, CP1257, CP1254, ISO 8859-3, CP1251,
#     CP1253), plus the spaces and dashes that dossier substitutes before encoding
#     (the watermark, drawn by cairo from the same file, does not substitute);
#   - maps U+2206 and U+2126 to the glyphs of Δ (U+0394) and Ω (U+03A9): libharu
#     names these two "Delta" and "Omega" in its /Differences, which viewers read
#     through the Adobe Glyph List as U+2206 and U+2126 and look up in the cmap; with
#     Liberation Sans they get glyphs libharu did not embed, and print nothing;
#   - maps U+00B5 (micro sign) to the glyph of Greek μ (U+03BC), for the same reason:
#     libharu names μ "mu", which viewers read as U+00B5; the two look alike, and with
#     one glyph for both, whichever the text uses is embedded;
#   - drops hinting (cvt, fpgm, prep, glyph instructions) and glyph names (post 3.0);
#   - keeps only the tables libharu reads or copies (OS/2 cmap glyf head hhea hmtx loca
#     maxp name post): no kern, GPOS, GSUB, GDEF, gasp, FFTM;
#   - renames the family "Dossier Sans" (Reserved Font Name "Liberation" must not be
#     used by a modified version, OFL 1.1 condition 3).
#
# Dependency: Debian 12 package `fonttools` (pyftsubset, python3-fonttools 4.38.0):
#   apt-get install --no-install-recommends fonttools
# Reproducible: the same input fonts and the same fonttools give the same bytes
# (no timestamp is recalculated; head.modified stays the one of Liberation Sans).
#
# Usage: tools/subset-fonts.sh [--hinting] [--glyph-names] [--out DIR]
#   --hinting       keep TrueType hinting (bigger; not used by PDF viewers)
#   --glyph-names   keep post format 2 glyph names (bigger; libharu does not read them)
#   --out DIR       write there instead of fonts/ (for comparisons)
set -euo pipefail
export LC_ALL=C.UTF-8 PYTHONHASHSEED=0

root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/fonts"
out="$root/fonts"
hinting=--no-hinting
names=--no-glyph-names
while [ $# -gt 0 ]; do
  case "$1" in
    --hinting) hinting=--hinting ;;
    --glyph-names) names=--glyph-names ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--hinting] [--glyph-names] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done

# Debian's python3 and fonttools, not a python3 that comes first in PATH (pyenv, venv).
py=/usr/bin/python3
if ! command -v pyftsubset >/dev/null || ! "$py" -c 'import fontTools' 2>/dev/null; then
  echo "subset-fonts: needs the Debian package fonttools (apt-get install fonttools)" >&2
  exit 1
fi
echo "subset-fonts: fonttools $("$py" -c 'import fontTools; print(fontTools.version)')" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The characters: one U+XXXX a line, sorted.
"$py" - >"$work/unicodes.txt" <<'EOF'
pages = ["cp1252", "cp1250", "iso8859_16", "cp1257", "cp1254", "iso8859_3", "cp1251", "cp1253"]
cps = set()
for page in pages:
    for byte in list(range(0x20, 0x7F)) + list(range(0x80, 0x100)):
        try:
            ch = bytes([byte]).decode(page)
        except UnicodeDecodeError:
            continue          # unassigned in this code page
        if not 0x7F <= ord(ch) < 0xA0:   # C1 controls are never text
            cps.add(ord(ch))
# Turned into U+00A0, U+0020 or '-' by dossier before encoding (codepage_substitute),
# but printed as they are by the watermark (cairo, same font file).
cps |= {0x202F, 0x2007, 0x2009, 0x200A, 0x2002, 0x2003, 0x2010, 0x2011, 0x2212}
for cp in sorted(cps):
    print("U+%04X" % cp)
EOF

for style in Regular Bold; do
  pyftsubset "$src/LiberationSans-$style.ttf" \
    --output-file="$work/subset-$style.ttf" \
    --unicodes-file="$work/unicodes.txt" \
    --layout-features='' \
    --drop-tables+=GSUB,GPOS,GDEF,kern,FFTM,gasp \
    --name-IDs=0,1,2,3,4,5,6,13,14 --name-languages=0x0409 \
    --notdef-outline \
    "$hinting" "$names"

  "$py" - "$work/subset-$style.ttf" "$out/DossierSans-$style.ttf" "$style" <<'EOF'
import sys
from fontTools.ttLib import TTFont
src, dst, style = sys.argv[1:4]
font = TTFont(src, recalcTimestamp=False)
name = font["name"]
version = name.getDebugName(5)             # "Version 2.1.5"
family = "Dossier Sans"
full = family if style == "Regular" else family + " " + style
ps = "DossierSans-" + style
new = {1: family, 2: style, 3: ps + " " + version.replace("Version ", "") + " subset",
       4: full, 5: version + "; Dossier Sans subset", 6: ps}
for rec in list(name.names):
    if rec.nameID in (16, 17):              # typographic family/subfamily: not kept
        name.removeNames(nameID=rec.nameID)
for rec in name.names:
    if rec.nameID in new:
        rec.string = new[rec.nameID]
# Δ, Ω and μ as libharu names them (see the top of this script).
for table in font["cmap"].tables:
    if table.isUnicode():
        for alias, target in ((0x2206, 0x0394), (0x2126, 0x03A9), (0x00B5, 0x03BC)):
            table.cmap[alias] = table.cmap[target]
for rec in name.names:
    text = rec.toUnicode()
    if rec.nameID not in (0, 13, 14) and ("Liberation" in text or "Arimo" in text):
        sys.exit("subset-fonts: reserved name left in name ID %d: %s" % (rec.nameID, text))
font.save(dst)
EOF
  echo "subset-fonts: $out/DossierSans-$style.ttf ($(stat -c %s "$out/DossierSans-$style.ttf") bytes)" >&2
done
