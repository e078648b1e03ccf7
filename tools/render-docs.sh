#!/usr/bin/env bash
# Renders the pages shown in docs/ from sample 600103 (paper flow, délégataire,
# five attached pieces): one PNG per document, plus a close-up of a QR corner.
# Usage: tools/render-docs.sh [build/dossier]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/dossier}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" build -q --date 2026-11-24 -o "$work" "$root/samples/demandes.csv"
pdf="$work/600103.pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
page_of() {   # first page whose tracking code is $1 (e.g. FOR:2/)
  for p in $(seq 1 "$pages"); do
    if pdftotext -f "$p" -l "$p" "$pdf" - | grep -qE "DSR[12]:600103:$1"; then echo "$p"; return; fi
  done
  echo "page $1 introuvable" >&2; exit 1
}
shot() {      # NAME PAGE
  pdftoppm -r 80 -png -singlefile -f "$2" -l "$2" "$pdf" "$root/docs/600103-$1"
}
mkdir -p "$root/docs"
shot bordereau "$(page_of BOR:1/)"
shot formulaire-1 "$(page_of FOR:1/)"
shot formulaire-2 "$(page_of FOR:2/)"
last=$(pdftotext "$pdf" - | grep -oE 'DSR[12]:600103:FOR:[0-9]+/[0-9]+' | head -1 | sed 's|.*/||')
shot formulaire-signatures "$(page_of "FOR:$last/$last")"
shot cgu-1 "$(page_of CGU:1/)"
shot pieces "$(page_of LPJ:1/)"
# (grep -q stops reading early: with pipefail, pdftotext's broken pipe would fail the test)
if pdftotext "$pdf" - | grep -cE 'DSR[12]:600103:PJ:' >/dev/null; then shot piece-jointe "$(page_of PJ:1/)"; fi
# QR corner at 150 dpi: the bottom-left 75 x 40 mm of the formulaire's first page.
p=$(page_of FOR:1/)
pdftoppm -r 150 -png -singlefile -f "$p" -l "$p" -x 0 -y $((1754 - 236)) -W 443 -H 236 "$pdf" "$root/docs/600103-qr-corner"
ls -la "$root/docs"
