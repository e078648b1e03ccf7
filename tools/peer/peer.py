#!/usr/bin/python3
"""The peer of `make bench`: the pipeline a team would write instead of dossier, in
Python with Debian's ReportLab, Pillow and cryptography, doing the same job on the
same records so that the ratio `make bench` prints is honest.

For each record of a CSV batch (as tests/bench.sh makes them): the same documents in
the same order (bordereau for the paper flow, formulaire with its signature page, the
CGU of templates/cgu.xml, the pieces list of templates/pieces.xml, the watermarked
copies of the ID photos), a header and a footer on every page with "page i / n" and a
QR code carrying the page's signed tracking code (Ed25519, as DSR2), the same fonts
(fonts/DossierSans-*, embedded and subset by ReportLab); then the ASiC-E container:
mimetype stored first, the PDF(s), an ASiC manifest with SHA-256 digests and a
detached CMS seal over it (cryptography's PKCS7 signer, the demo seal's RSA key).
The paper flow also writes N.pdf beside N.zip.

What it does not do, because the bench's ratio batches do not need it: PDF pieces
(a Kbis; refused with a message), validation beyond what rendering needs, reports.

    peer.py ROOT SEAL_DIR PIECES_DIR INPUT.csv OUT_DIR
"""
import base64
import csv
import datetime
import hashlib
import io
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from PIL import Image, ImageDraw, ImageFont, ImageOps
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (Flowable, Image as RLImage, KeepTogether, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)

ROOT, SEAL_DIR, PIECES_DIR, INPUT, OUT = sys.argv[1:6]
DATE = datetime.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "1795478400")),
                                       datetime.timezone.utc)
TRUE = {"oui", "true", "1", "vrai", "yes"}

pdfmetrics.registerFont(TTFont("DS", os.path.join(ROOT, "fonts/DossierSans-Regular.ttf")))
pdfmetrics.registerFont(TTFont("DSB", os.path.join(ROOT, "fonts/DossierSans-Bold.ttf")))
BODY = ParagraphStyle("body", fontName="DS", fontSize=9, leading=11.9)
SMALL = ParagraphStyle("small", fontName="DS", fontSize=7.5, leading=9.9, textColor=colors.Color(.3, .3, .3))
CGU = ParagraphStyle("cgu", fontName="DS", fontSize=8.8, leading=11.6, spaceAfter=4)
BOLD = ParagraphStyle("bold", fontName="DSB", fontSize=10, leading=13, spaceBefore=4)
TITLE = ParagraphStyle("title", fontName="DSB", fontSize=15, leading=19.8, spaceAfter=4)
SECTION = ParagraphStyle("section", fontName="DSB", fontSize=10, leading=13)


def esc(s):
    return (s or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- templates, read once -----------------------------------------------------------
def load(name):
    return ET.parse(os.path.join(ROOT, "templates", name)).getroot()


texts = {t.get("cle"): "".join(t.itertext()).strip() for t in load("textes.xml").iter("texte")}
engagements = [" ".join("".join(p.itertext()).split()) for e in load("textes.xml").iter("engagements")
               for p in e.iter("p")]
steps = [" ".join("".join(p.itertext()).split()) for p in load("textes.xml").iter("etape")]
cgu = load("cgu.xml")
authority = load("autorite.xml")
AUTH = {c.tag: (c.text or "").strip() for c in authority}
offices = {b.get("code"): {c.tag: (c.text or "").strip() for c in b} for b in load("bureaux.xml").iter("bureau")}
products = {p.get("code"): p for p in load("produits.xml").iter("produit")}
rules = {r.get("code"): r for r in load("pieces.xml").iter("regle")}
default_rule = next(load("pieces.xml").iter("defaut"), None)


def fill(text, rec):
    for k, v in {"numero": rec["numero"], "date": rec["date"], "autorite": AUTH.get("nom", ""),
                 "cgu_version": cgu.get("version"), "organisation": rec["organisation.denomination"],
                 "categorie": rec["organisation.categorie_juridique"], "produit": rec["certificat.produit"],
                 "version": "", "date_dossier": DATE.strftime("%d/%m/%Y"), "email": ""}.items():
        text = text.replace("{%s}" % k, v)
    return text


def rule_for(category):
    for n in (4, 2, 1):
        if category[:n] in rules:
            return rules[category[:n]]
    return default_rule


# --- seal and code key --------------------------------------------------------------
seal_key = serialization.load_pem_private_key(open(os.path.join(SEAL_DIR, "demo-seal-key.pem"), "rb").read(), None)
seal_cert = x509.load_pem_x509_certificate(open(os.path.join(SEAL_DIR, "demo-seal-cert.pem"), "rb").read())
code_key = serialization.load_pem_private_key(open(os.path.join(SEAL_DIR, "demo-code-key.pem"), "rb").read(), None)
raw_pub = code_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
KEY_ID = hashlib.sha256(raw_pub).hexdigest()[:8].upper()


def page_code(rec, doc, i, n):
    head = "DSR2:%s:%s:%d/%d:%s:%s:%s" % (rec["numero"], doc, i, n, DATE.strftime("%Y%m%d"),
                                          rec["organisation.siren"].replace(" ", ""), KEY_ID)
    sig = int.from_bytes(code_key.sign(head.encode()), "big")
    return head, "%s:%0155d" % (head, sig)


# --- pages: header, footer, QR, paraphes --------------------------------------------
class DocStart(Flowable):
    """Marks where a document begins: the footer numbers pages within it."""

    def __init__(self, code, name, paraphes):
        super().__init__()
        self.code, self.name, self.paraphes = code, name, paraphes

    def wrap(self, *args):
        return 0, 0

    def draw(self):
        self.canv.doc_marks.append((self.canv.getPageNumber(), self))


class DossierCanvas(rl_canvas.Canvas):
    """Defers every page until the end, when each document's page count is known
    (ReportLab's usual recipe for "page i / n")."""

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record, self.pages, self.doc_marks = record, [], []

    def showPage(self):
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        starts = sorted(self.doc_marks, key=lambda m: m[0])
        for index, state in enumerate(self.pages, 1):
            self.__dict__.update(state)
            mark = [m for m in starts if m[0] <= index][-1]
            first = mark[0]
            nxt = [m[0] for m in starts if m[0] > first]
            count = (nxt[0] if nxt else len(self.pages) + 1) - first
            self.furniture(mark[1], index - first + 1, count)
            super().showPage()
        super().save()

    def furniture(self, doc, i, n):
        w, h = A4
        rec = self.record
        self.setFont("DSB", 10)
        self.drawString(18 * mm, h - 13 * mm, AUTH.get("nom", ""))
        self.setFont("DSB", 9)
        self.drawRightString(w - 18 * mm, h - 13 * mm, doc.name)
        self.setStrokeGray(.55)
        self.line(18 * mm, h - 20 * mm, w - 18 * mm, h - 20 * mm)
        self.line(18 * mm, 32 * mm, w - 18 * mm, 32 * mm)
        shown, code = page_code(rec, doc.code, i, n)
        size = 24.5 * mm    # 41 modules and the quiet zone, 0.5 mm a module
        d = Drawing(size, size)
        d.add(QrCodeWidget(code, barLevel="M", barWidth=size, barHeight=size))
        renderPDF.draw(d, self, 16 * mm, 6 * mm)
        self.setFont("DSB", 8.5)
        self.drawString(40 * mm, 25 * mm, doc.name)
        self.setFont("DS", 8.5)
        self.drawString(40 * mm, 20.5 * mm, "Demande n° %s — page %d / %d" % (rec["numero"], i, n))
        self.setFont("DS", 6.5)
        self.drawString(40 * mm, 16 * mm, "Suivi : %s (signé)" % shown)
        x = w - 18 * mm
        for label in reversed(doc.paraphes):
            x -= 31 * mm
            self.rect(x, 7 * mm, 31 * mm, 19 * mm)
            self.setFont("DSB", 6.5)
            self.drawString(x + 3, 7 * mm + 19 * mm - 8, "Paraphe")
            self.setFont("DS", 6.5)
            self.drawString(x + 3, 7 * mm + 19 * mm - 15.5, label)
            x -= 3 * mm


def section(title, rows):
    data = [[Paragraph(esc(title), SECTION), ""]] + [[Paragraph(esc(k), SMALL), Paragraph(esc(v) or "—", BODY)]
                                                      for k, v in rows]
    t = Table(data, colWidths=[62 * mm, 112 * mm])
    t.setStyle(TableStyle([("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (1, 0), colors.Color(.88, .88, .88)),
                           ("BOX", (0, 0), (-1, -1), .6, colors.Color(.55, .55, .55)),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [t, Spacer(1, 8)]


def people(rec):
    out = []
    for key, role in (("titulaire", "titulaire"), ("responsable", "responsable"), ("rl", "rl"),
                      ("delegataire", "delegataire")):
        if rec.get(key + ".nom"):
            out.append((key, role, "%s %s" % (rec[key + ".prenom"], rec[key + ".nom"])))
    return out


def pieces_of(rec):
    rows = []
    for key, role, name in people(rec):
        if key == "responsable":
            continue
        field = "pieces.id_" + ("titulaire" if key == "titulaire" else key)
        rows.append((texts["pieces.id"], "%s (%s)" % (name, texts["role." + role]),
                     "joint" if rec.get(field) else "à fournir"))
    rule = rule_for(rec["organisation.categorie_juridique"])
    for acte in (rule.iter("acte") if rule is not None else ()):
        given = rec.get("pieces." + acte.get("code")) or (rule.get("preuve") == acte.get("code")
                                                          and rec.get("pieces.acte_nomination"))
        rows.append((" ".join("".join(acte.itertext()).split()), rec["organisation.denomination"],
                     "joint" if given else "à fournir"))
    return rows


def pieces_table(rows):
    data = [["Pièce", "Concerne", "Statut"]] + [[Paragraph(esc(a), BODY), Paragraph(esc(b), BODY), c]
                                                 for a, b, c in rows]
    t = Table(data, colWidths=[95 * mm, 52 * mm, 27 * mm], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), .6, colors.Color(.55, .55, .55)),
                           ("FONT", (0, 0), (-1, 0), "DSB", 9), ("FONT", (0, 1), (-1, -1), "DS", 9),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.Color(.9, .9, .9)),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


# --- the documents ------------------------------------------------------------------
def paraphes(rec, paper):
    if not paper:
        return []
    return [texts["paraphe." + role] for key, role, name in people(rec) if key != "delegataire"][:2]


def bordereau(rec):
    o = offices.get(rec["modalites.bureau_envoi"].lower(), {})
    story = [DocStart("BOR", texts["doc.bordereau"], []), Spacer(1, 40 * mm),
             Paragraph(esc(texts["bordereau.titre"]), TITLE),
             Paragraph("<br/>".join(esc(o.get(k, "")) for k in ("nom", "service", "adresse", "complement"))
                       + "<br/>%s %s" % (esc(o.get("code_postal", "")), esc(o.get("ville", ""))), BODY)]
    story += section("Récapitulatif de la demande", [
        (texts["bordereau.organisation"], rec["organisation.denomination"]),
        (texts["bordereau.siret"], rec["organisation.siren"] + " " + rec["organisation.nic"]),
        (texts["bordereau.produit"], rec["certificat.produit"] + " — " + rec["certificat.paiement"]),
        (texts["bordereau.signataires"], " et ".join(n for k, r, n in people(rec)))])
    story += [Paragraph("☐ " + esc(a) + " [" + c + "]", BODY) for a, b, c in pieces_of(rec)]
    story += [Spacer(1, 8), Paragraph(esc(texts["bordereau.etapes"]), SECTION)]
    story += [Paragraph("%d. %s" % (i, esc(s)), BODY) for i, s in enumerate(steps, 1)]
    story.append(Paragraph(esc(fill(texts["bordereau.rappel"], rec)), BODY))
    return story + [PageBreak()]


def formulaire(rec, paper):
    f = lambda *keys: [(texts.get("libelle." + k.split(".")[-1], k), rec.get(k, "")) for k in keys]
    story = [DocStart("FOR", texts["doc.formulaire"], paraphes(rec, paper)),
             Paragraph(esc(texts["formulaire.titre"]), TITLE),
             Paragraph(esc(fill(texts["formulaire.sous_titre"], rec)), SMALL), Spacer(1, 6)]
    story += section("Organisation", f("organisation.denomination", "organisation.siren", "organisation.nic",
                                       "organisation.categorie_juridique", "organisation.etablissement",
                                       "organisation.adresse", "organisation.complement", "organisation.lieu_dit",
                                       "organisation.code_postal", "organisation.ville", "organisation.telephone"))
    story += section("Certificat", f("certificat.produit", "certificat.paiement", "certificat.support"))
    for key, role, name in people(rec):
        story += section(texts.get("formulaire." + key, key), f(*(key + "." + x for x in (
            "prenom", "nom", "email", "fonction", "service", "tel_bureau", "tel_portable"))))
    story += [PageBreak(), Paragraph("Pièces justificatives à joindre au dossier", SECTION), Spacer(1, 4),
              pieces_table(pieces_of(rec)), Spacer(1, 8)]
    story += section("Modalités et facturation", f("modalites.bureau_envoi", "modalites.bureau_retrait",
                                                   "facturation.bon_commande", "facturation.engagement_juridique",
                                                   "facturation.code_service", "facturation.adresse"))
    story += [PageBreak(), Paragraph("Engagements et signatures", SECTION)]
    story += [Paragraph(esc(fill(p, rec)), BODY) for p in engagements]
    for key, role, name in people(rec):
        if key in ("titulaire", "responsable", "rl", "delegataire"):
            box = Table([[Paragraph("<b>%s</b><br/>%s<br/>%s<br/>%s<br/>%s" % (
                esc(texts.get("signature." + role, role)), esc(name), esc(texts["signature.lieu"]),
                esc(texts["signature.date"]), esc(texts["signature.mention"])), BODY)]],
                colWidths=[174 * mm], rowHeights=[40 * mm])
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), .6, colors.Color(.55, .55, .55)),
                                     ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [Spacer(1, 6), box]
    return story + [PageBreak()]


def cgu_doc(rec, paper):
    version = "Version %s du %s" % (cgu.get("version"), cgu.get("date"))
    story = [DocStart("CGU", texts["doc.cgu"], paraphes(rec, paper)),
             Paragraph(esc(cgu.findtext("titre")), TITLE), Paragraph(esc(version), SMALL)]
    for p in cgu.find("preambule").iter("p"):
        story.append(Paragraph(esc(fill(" ".join("".join(p.itertext()).split()), rec)), CGU))
    for art in cgu.iter("article"):
        blocks = [Paragraph(esc("Article %s – %s" % (art.get("numero"), art.get("titre"))), BOLD)]
        for b in art:
            text = esc(fill(" ".join("".join(b.itertext()).split()), rec))
            blocks.append(Paragraph(("– " + text) if b.tag != "p" else text, CGU))
        story.append(KeepTogether(blocks[:2]))
        story += blocks[2:]
    return story + [PageBreak()]


def pieces_doc(rec):
    return [DocStart("LPJ", texts["doc.pieces"], []), Paragraph(esc(texts["pieces.titre"]), TITLE),
            Paragraph(esc(fill(texts["pieces.intro"], rec)), BODY), Spacer(1, 6), pieces_table(pieces_of(rec)),
            PageBreak()]


WATERMARK_FONT = os.path.join(ROOT, "fonts/DossierSans-Bold.ttf")


def watermarked(path, text, box_w, box_h):
    """The photo upright, at 200 dpi in its box on the page, the watermark burned in."""
    img = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    scale = min(box_w / img.width, box_h / img.height) * 200 / 72
    img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.BILINEAR)
    layer = Image.new("L", (int(1.3 * max(img.size)),) * 2, 0)
    font = ImageFont.truetype(WATERMARK_FONT, int(16 * 200 / 72))
    draw = ImageDraw.Draw(layer)
    step = int(3.5 * font.size)
    tw = draw.textlength(text, font=font) + 3 * font.size
    for row, y in enumerate(range(0, layer.height, step)):
        x = -(row % 2) * tw / 2
        while x < layer.width:
            draw.text((x, y), text, font=font, fill=66)
            x += tw
    layer = layer.rotate(30, resample=Image.BILINEAR)
    left, top = (layer.width - img.width) // 2, (layer.height - img.height) // 2
    mask = layer.crop((left, top, left + img.width, top + img.height))
    img.paste(Image.new("RGB", img.size, (51, 51, 61)), (0, 0), mask)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    out.seek(0)
    return out, img.width * 72 / 200, img.height * 72 / 200


def attachments(rec, paper):
    story, first = [], True
    mark = "Copie destinée exclusivement à %s — demande n° %s — %s" % (AUTH.get("nom", ""), rec["numero"],
                                                                       DATE.strftime("%d/%m/%Y"))
    for key, role, name in people(rec):
        field = "pieces.id_" + ("titulaire" if key == "titulaire" else key)
        if not rec.get(field):
            continue
        path = os.path.join(PIECES_DIR, rec[field])
        if not path.lower().endswith((".jpg", ".jpeg", ".png")):
            sys.exit("peer: pièce %s : seules les images sont prises en charge" % path)
        if first:
            story.append(DocStart("PJ", texts["doc.jointes"], []))
        first = False
        story += [Paragraph(esc("Pièce d’identité — %s (%s)" % (name, texts["role." + role])), SECTION),
                  Paragraph(esc("Fichier : " + os.path.basename(path)), SMALL), Spacer(1, 8)]
        data, w, h = watermarked(path, mark, 174 * mm, 150 * mm)
        story.append(RLImage(data, width=w, height=h))
        if paper:
            story += [Spacer(1, 12), Paragraph("<b>Certifié conforme à l’original</b>", BODY),
                      Table([[Paragraph(esc("Signature\n%s" % name), SMALL)]], colWidths=[85 * mm],
                            rowHeights=[24 * mm], style=[("BOX", (0, 0), (-1, -1), .6, colors.grey)])]
        story.append(PageBreak())
    return story


def render(rec, parts, title):
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=25 * mm,
                            bottomMargin=35 * mm, title=title, author=AUTH.get("nom", ""), invariant=1)
    story = [f for part in parts for f in part]
    while story and isinstance(story[-1], PageBreak):
        story.pop()
    doc.build(story, canvasmaker=lambda *a, **k: DossierCanvas(*a, record=rec, **k))
    return out.getvalue()


# --- the container -------------------------------------------------------------------
def seal(files, numero):
    refs = "".join(
        '<DataObjectReference URI="%s" MimeType="application/pdf"><ds:DigestMethod Algorithm='
        '"http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>%s</ds:DigestValue></DataObjectReference>'
        % (name, base64.b64encode(hashlib.sha256(data).digest()).decode()) for name, data in files)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<ASiCManifest xmlns="http://uri.etsi.org/02918/v1.2.1#" '
                'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><SigReference URI="META-INF/signature.p7s" '
                'MimeType="application/pkcs7-signature"/>%s</ASiCManifest>\n' % refs).encode()
    signature = (pkcs7.PKCS7SignatureBuilder().set_data(manifest).add_signer(seal_cert, seal_key, hashes.SHA256())
                 .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]))
    out = io.BytesIO()
    stamp = DATE.timetuple()[:6]
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", stamp), "application/vnd.etsi.asic-e+zip", zipfile.ZIP_STORED)
        for name, data in files:
            z.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo("META-INF/ASiCManifest.xml", stamp), manifest, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("META-INF/signature.p7s", stamp), signature, zipfile.ZIP_STORED)
    return out.getvalue()


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    done = 0
    for rec in csv.DictReader(open(INPUT, encoding="utf-8-sig"), delimiter=";"):
        n = rec["numero"]
        paper = rec["papier"].strip().lower() in TRUE
        title = "Dossier de demande de certificat électronique n° %s" % n
        if paper:
            pdf = render(rec, [bordereau(rec), formulaire(rec, True), cgu_doc(rec, True), pieces_doc(rec),
                               attachments(rec, True)], title)
            files = [("dossier-%s.pdf" % n, pdf)]
            write(os.path.join(OUT, n + ".pdf"), pdf)
        else:
            files = [("formulaire-%s.pdf" % n, render(rec, [formulaire(rec, False)], title)),
                     ("cgu-%s.pdf" % n, render(rec, [cgu_doc(rec, False)], title)),
                     ("pieces-%s.pdf" % n, render(rec, [pieces_doc(rec)], title))]
            photos = attachments(rec, False)
            if photos:
                files.append(("jointes-%s.pdf" % n, render(rec, [photos], title)))
        write(os.path.join(OUT, n + ".zip"), seal(files, n))
        done += 1
    print("peer: %d dossiers" % done, file=sys.stderr)


main()
