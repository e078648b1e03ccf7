#!/usr/bin/env python3
"""Compares check-scan's JSON with the scan simulator's truth.

usage: compare.py TRUTH.json RESULT.json [--min-pages 1.0] [--min-boxes 0.99]

Prints pages identified, boxes called right, missing and foreign pages reported, and
exits 1 when a figure is below its minimum or a missing or foreign page is not
reported."""
import json, sys

args = sys.argv[1:]
def opt(name, default):
    if name in args:
        i = args.index(name)
        v = float(args[i + 1]); del args[i:i + 2]; return v
    return default
min_pages = opt("--min-pages", 1.0)
min_boxes = opt("--min-boxes", 0.99)
truth = json.load(open(args[0]))
result = json.load(open(args[1]))

got = {d["numero"]: d for d in result["dossiers"]}
# Pages made unreadable on purpose (a smeared code) or forged (a tampered code): not
# expected to be identified, but expected to be reported as such.
unfound = {(s["numero"], s["document"], s["page"]): ("unreadable" if s.get("smeared") else "forged")
           for s in truth["scan"] if s.get("smeared") or s.get("tampered")}
pages_sent = pages_found = boxes = right = dropped = dropped_reported = 0
errors = []
for d in truth["dossiers"]:
    r = got.get(d["numero"])
    if r is None:
        errors.append("dossier %s absent du résultat" % d["numero"]); continue
    rpages = {(p["document"], p["page"]): p for p in r["pages"]}
    missing = {(m["document"], m["page"]) for m in r["missing"]}
    for p in d["pages"]:
        key = (p["document"], p["page"])
        rp = rpages[key]
        if p["dropped"]:
            dropped += 1
            dropped_reported += key in missing and not rp["found"]
            if key not in missing or rp["found"]:
                errors.append("%s %s %d/%d retirée mais pas signalée manquante" % (d["numero"], *key, p["of"]))
            continue
        if (d["numero"], *key) in unfound:
            if rp["found"]:
                errors.append("%s %s %d/%d reconnue malgré son code %s" % (d["numero"], *key, p["of"],
                              "maculé" if unfound[(d["numero"], *key)] == "unreadable" else "falsifié"))
            continue
        pages_sent += 1
        if not rp["found"]:
            errors.append("%s %s %d/%d non reconnue" % (d["numero"], *key, p["of"]))
            continue
        pages_found += 1
        for tb, rb in zip(p["boxes"], rp["boxes"]):
            boxes += 1
            if tb["filled"] == rb["filled"]:
                right += 1
            else:
                errors.append("%s %s %d/%d %s de %s : %s, appelée %s (encre %.4f)" % (
                    d["numero"], *key, p["of"], tb["kind"], tb["person"], "remplie" if tb["filled"] else "vide",
                    "remplie" if rb["filled"] else "vide", rb["ink"]))
# Foreign pages: each reported as such.
foreign = [u for u in result.get("unrecognised", []) if u["reason"] == "foreign"]
# Foreign pages: as many reported as slipped in, each naming its own request.
foreign_expected = [n for n in truth.get("foreign", []) if n not in got]
foreign_reported = sum(1 for u in foreign if any((":%s:" % n) in u["code"] for n in foreign_expected))
if foreign_reported < len(foreign_expected):
    errors.append("%d page(s) d'autres dossiers glissée(s), %d signalée(s)" % (len(foreign_expected), foreign_reported))
smeared = sum(1 for v in unfound.values() if v == "unreadable")
tampered = sum(1 for v in unfound.values() if v == "forged")
unreadable = [u for u in result.get("unrecognised", []) if u["reason"] == "unreadable"]
forged = [u for u in result.get("unrecognised", []) if u["reason"] == "forged"]
if len(unreadable) < smeared:
    errors.append("%d page(s) au code maculé, %d signalée(s) illisible(s)" % (smeared, len(unreadable)))
if len(forged) != tampered:
    errors.append("%d page(s) au code falsifié, %d signalée(s) non authentique(s)" % (tampered, len(forged)))

page_rate = pages_found / pages_sent if pages_sent else 1.0
box_rate = right / boxes if boxes else 1.0
print("pages reconnues : %d / %d (%.1f %%) ; cases bien appelées : %d / %d (%.2f %%) ; pages retirées signalées "
      "manquantes : %d / %d ; pages d'autres dossiers signalées : %d / %d ; codes falsifiés refusés : %d / %d ; "
      "illisibles : %d (codes maculés : %d) ; %.0f ms par page"
      % (pages_found, pages_sent, 100 * page_rate, right, boxes, 100 * box_rate, dropped_reported, dropped,
         foreign_reported, len(foreign_expected), len(forged), tampered,
         len(unreadable), smeared, result.get("ms_per_page", 0)))
for e in errors[:40]:
    print("  " + e)
bad = page_rate < min_pages or box_rate < min_boxes or any(w in e for e in errors for w in ("signal", "malgré", "glissée"))
sys.exit(1 if bad else 0)
