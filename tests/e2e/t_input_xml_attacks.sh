# Hostile XML: an external entity (XXE) never leaks the file it names, in any encoding;
# an entity bomb is refused at once; both are reported as rejected records (exit 1).
source "$ROOT/tests/e2e/lib.sh"
marker="SECRET-$$-$RANDOM-9f2c"
echo "$marker" > secret.txt

# The first sample request, its titulaire's name replaced by the entity.
python3 - "$SAMPLES/demandes.xml" "$WORK/secret.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
first = text[text.index("<demande>"):text.index("</demande>") + len("</demande>")]
first = first.replace("<nom>Martin</nom>", "<nom>&x;</nom>", 1)
assert "&x;" in first
doc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<!DOCTYPE demandes [<!ENTITY x SYSTEM "file://%s">]>\n'
       '<demandes>\n  %s\n</demandes>\n' % (sys.argv[2], first))
open("xxe.xml", "w", encoding="utf-8").write(doc)
# The same in UTF-16 without BOM, and with a DOCTYPE hidden after a comment.
open("xxe16.xml", "wb").write(doc.replace('"UTF-8"', '"UTF-16"').encode("utf-16-le"))
open("xxe-comment.xml", "w", encoding="utf-8").write(
    doc.replace("<!DOCTYPE", "<!-- demandes -->\n<?traitement x?>\n<!DOCTYPE", 1))
PY

for f in xxe.xml xxe16.xml xxe-comment.xml; do
  rm -rf rapport
  run_dossier 1 validate "$f" -o rapport
  assert_contains err.txt "[xml.dtd]"
  assert_contains err.txt "DOCTYPE"
  assert_not_contains out.txt "acceptée"
  for out in out.txt err.txt rapport/report.json rapport/report.csv; do
    assert_not_contains "$out" "$marker"
  done
  python3 - <<'PY'
import json
d = json.load(open("rapport/report.json"))
assert d["rejected"] == 1 and d["accepted"] == 0, d
assert [e["code"] for e in d["results"][0]["errors"]] == ["xml.dtd"], d["results"][0]
PY
done
assert_contains err.txt "xxe-comment.xml:4: "

# Billion laughs: ten levels of ten entities, refused in well under 2 s.
python3 - <<'PY'
lines = ['<?xml version="1.0"?>', "<!DOCTYPE demandes [", '<!ENTITY e0 "ha">']
for i in range(1, 10):
    lines.append('<!ENTITY e%d "%s">' % (i, ("&e%d;" % (i - 1)) * 10))
lines += ["]>", "<demandes><demande><numero>1</numero><titulaire><nom>&e9;</nom></titulaire></demande></demandes>"]
open("lol.xml", "w").write("\n".join(lines) + "\n")
open("lol16.xml", "wb").write("\n".join(lines).replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1).encode("utf-16-le"))
PY
for f in lol.xml lol16.xml; do
  start=$(date +%s%N)
  run_dossier 1 validate "$f"
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$elapsed_ms" -lt 2000 ] || die "$f : ${elapsed_ms} ms, moins de 2 s attendu"
  assert_contains err.txt "[xml.dtd]"
  assert_not_contains err.txt "hahaha"
done

# A malformed file and a wrong root are rejected records too, not crashes.
printf '<demandes><demande><numero>1</numero></demande>\n' > tronque.xml
run_dossier 1 validate tronque.xml
assert_contains err.txt "[xml.syntax]"
printf '<?xml version="1.0"?>\n<requests/>\n' > racine.xml
run_dossier 1 validate racine.xml
assert_contains err.txt "racine.xml:2: "
assert_contains err.txt "[xml.root]"
