# `dossier track`: a good code is explained; a mistyped or altered one is caught.
source "$ROOT/tests/e2e/lib.sh"
run_dossier 0 build -q -o out "$SAMPLES/demandes.csv"
code=$(pdftotext out/600101.pdf - | grep -o 'DSR1:600101:FOR:2/[0-9]*:[0-9A-F]*' | head -1)
[ -n "$code" ] || die "code de suivi introuvable dans le texte du dossier"
run_dossier 0 track "$code"
assert_contains out.txt "demande n° 600101"
assert_contains out.txt "formulaire d'abonnement"
assert_contains out.txt "page 2 sur"
run_dossier 0 track "$(printf '%s' "$code" | tr 'A-Z' 'a-z')"     # typed in lower case
run_dossier 1 track "${code/600101/600102}"                       # another request number
assert_contains out.txt "clé de contrôle incorrecte"
run_dossier 1 track "${code/FOR:2/FOR:3}"                         # another page
run_dossier 1 track "${code/FOR/XYZ}"
assert_contains out.txt "inconnu"
run_dossier 1 track "DSR9:600101:FOR:1/3:00000000"
run_dossier 1 track "DSR1:600101:FOR:4/3:00000000"
run_dossier 1 track "n'importe quoi"
run_dossier 2 track
