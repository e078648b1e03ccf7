"""Helpers for end-to-end checks: text of a record's dossier, pieces rules, sample records."""
import csv
import io
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.environ["ROOT"]


def norm(text):
    """Whitespace-insensitive form: line wraps and column gaps become one space."""
    return re.sub(r"\s+", " ", text).strip()


def pdftotext(data_or_path, first=None, last=None):
    """Text of a PDF (bytes or path); fails on any warning printed by poppler."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    if isinstance(data_or_path, bytes):
        p = subprocess.run(args + ["-", "-"], input=data_or_path, capture_output=True)
    else:
        p = subprocess.run(args + [data_or_path, "-"], capture_output=True)
    assert p.returncode == 0, p.stderr
    assert p.stderr == b"", "pdftotext a écrit sur stderr : %r" % p.stderr[:300]
    return p.stdout.decode("utf-8")


def dossier_pdfs(out_dir, numero):
    """The PDFs of record NUMERO, from its container, in container order."""
    with zipfile.ZipFile(os.path.join(out_dir, numero + ".zip")) as z:
        return [(n, z.read(n)) for n in z.namelist() if n.endswith(".pdf")]


def dossier_text(out_dir, numero):
    return "\n".join(pdftotext(data) for _, data in dossier_pdfs(out_dir, numero))


def read_samples(path=None):
    path = path or os.path.join(ROOT, "samples", "demandes.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def pieces_rule(category):
    """Libellé and actes (those of a <choix> too) for an INSEE category, by longest
    prefix, from pieces.xml."""
    root = ET.parse(os.path.join(ROOT, "templates", "pieces.xml")).getroot()
    rules = {r.get("code"): r for r in root.findall("regle")}
    for n in (4, 2, 1):
        if category[:n] in rules and len(category) >= n:
            r = rules[category[:n]]
            break
    else:
        r = root.find("defaut")
    clean = lambda s: norm(s or "")
    return clean(r.findtext("libelle")), [clean(a.text) for a in r.iter("acte")]


def overlapping_words(pdf):
    """Pairs of words whose boxes overlap by more than a point, page by page: text
    printed over other text. Returns "page N: « a » / « b »" strings."""
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    found = []
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    for n, page in enumerate(html.split("<page ")[1:], 1):
        boxes = [tuple(map(float, m.groups()[:4])) + (m.group(5),) for m in word.finditer(page)]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1:
                    found.append("page %d : « %s » / « %s »" % (n, a[4], b[4]))
    return found
