#!/usr/bin/env bash
# Seed corpora for the fuzz targets, from the samples and the test data:
#   fuzz/seeds.sh DIR   (DIR/TARGET/...)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
rm -rf "$out"
mkdir -p "$out"/{csv,xml,image,verify,track,text,pagemap,scan}
cp "$root"/samples/*.csv "$root"/tests/data/*.csv "$out/csv/" 2>/dev/null
cp "$root"/samples/*.xml "$out/xml/" 2>/dev/null
find "$root/tests/data" -maxdepth 2 -name '*.xml' -size -256k -exec cp {} "$out/xml/" \; 2>/dev/null
for f in "$root"/samples/pieces/*.jpg "$root"/samples/pieces/*.png; do
  cp "$f" "$out/image/"
  cp "$f" "$out/scan/"
done
find "$root/tests/data" -maxdepth 2 \( -name '*.jpg' -o -name '*.png' \) -size -256k -exec cp {} "$out/image/" \; 2>/dev/null
# Small hand-made cases: a header alone, a quoted multi-line cell, cp1252, an XML
# with a DOCTYPE (refused), a UTF-16 XML.
head -1 "$root/samples/demandes.csv" > "$out/csv/header-only.csv"
printf 'numero;titulaire.nom\r\n1;"Dupont\r\n""Jr"""\r\n2;M\xe9lanie\r\n' > "$out/csv/quoted.csv"
printf '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><demandes>&e;</demandes>' > "$out/xml/doctype.xml"
printf '\xff\xfe<\x00d\x00/\x00>\x00' > "$out/xml/utf16.xml"
# Text: every line of the samples, one file each (names, addresses, accents).
i=0
while IFS= read -r line && [ $i -lt 40 ]; do
  printf '%s' "$line" > "$out/text/line-$i"; i=$((i + 1))
done < "$root/samples/demandes.csv"
printf 'DSR1:600101:FOR:2/3:0894F0BC' > "$out/track/dsr1"
printf 'DSR2:600101:FOR:2/3:20261124:952018349:95D4953C:%s' \
  "03926005202810814375222250935404530525162515677525516019908031994010422861901005744275875985084451089224131862364152503573741033346219451774113882479080710" \
  > "$out/track/dsr2"
# A container and its page map, when the tool is built.
if [ -x "$root/build/dossier" ]; then
  tmp=$(mktemp -d)
  head -1 "$root/samples/demandes.csv" > "$tmp/one.csv"
  grep '^600110;' "$root/samples/demandes.csv" >> "$tmp/one.csv" || true
  if "$root/build/dossier" build -q --flow papier --date 2026-11-24 -o "$tmp/out" "$tmp/one.csv" >/dev/null 2>&1; then
    cp "$tmp"/out/*.zip "$out/verify/" 2>/dev/null
    # The same container with its structure tampered (bytes and an entry hidden, a
    # local header changed, a comment, a data descriptor): the ZIP walk's paths.
    tamper="$root/tests/e2e/py/ziptamper.py"
    for zip in "$tmp"/out/*.zip; do
      python3 "$tamper" "$zip" "$out/verify/hidden.zip" hidden-entry evil.pdf '%PDF-1.4' &&
      python3 "$tamper" "$zip" "$out/verify/gap.zip" gap 'XXXX' &&
      python3 "$tamper" "$zip" "$out/verify/local.zip" local META-INF/ASiCManifest.xml flags 0x0808 &&
      python3 "$tamper" "$zip" "$out/verify/comment.zip" comment 'commentaire' || true
    done
    pdfdetach -saveall -o "$out/pagemap" "$tmp"/out/*.pdf >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
fi
exit 0
