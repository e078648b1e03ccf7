#!/usr/bin/python3
"""Generate the specimen attachments used by samples/demandes.{csv,xml}.

Everything here is INVENTED: people, organisations, numbers.  Every image
carries the word SPECIMEN.  Output is deterministic (fixed fonts, no
timestamps, fixed PDF dates): running the script twice gives identical bytes.

Usage:  /usr/bin/python3 tools/make-specimens.py [OUTPUT_DIR]
        (default OUTPUT_DIR: samples/pieces next to this tools/ folder)

Orientation markers (used by the tests): every identity card has a solid
RED 40x40 square at card x=10..49, y=10..49 (top-left) and a solid BLUE
40x40 square at the top-right corner (x=W-50..W-11, y=10..49), in the
upright orientation.
"""

import os
import sys
import time

from PIL import Image, ImageDraw, ImageFont, ImageOps

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
LIBERATION = "/usr/share/fonts/truetype/liberation2/"

RED = (255, 0, 0)
BLUE = (0, 0, 255)
MARKER = 40

# Fixed date written in the PDF Info dictionary (keeps output reproducible).
PDF_DATE = time.struct_time((2026, 1, 1, 0, 0, 0, 3, 1, 0))


def font(name, size):
    for base in (DEJAVU, LIBERATION):
        path = os.path.join(base, name)
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    raise SystemExit("font not found: " + name)


def sans(size):
    return font("DejaVuSans.ttf", size)


def sans_bold(size):
    return font("DejaVuSans-Bold.ttf", size)


def mono(size):
    return font("DejaVuSansMono.ttf", size)


def serif(size):
    return font("LiberationSerif-Regular.ttf", size)


def serif_bold(size):
    return font("LiberationSerif-Bold.ttf", size)


# --------------------------------------------------------------------------
# helpers

def diagonal_text(base, text, fnt, fill, angle, center=None):
    """Alpha-composite `text` rotated by `angle` degrees onto RGBA `base`."""
    d = ImageDraw.Draw(base)
    l, t, r, b = d.textbbox((0, 0), text, font=fnt)
    layer = Image.new("RGBA", (r - l + 20, b - t + 20), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((10 - l, 10 - t), text, font=fnt, fill=fill)
    layer = layer.rotate(angle, resample=Image.BICUBIC, expand=True)
    if center is None:
        center = (base.width // 2, base.height // 2)
    x = center[0] - layer.width // 2
    y = center[1] - layer.height // 2
    over = Image.new("RGBA", base.size, (0, 0, 0, 0))
    over.paste(layer, (x, y))
    return Image.alpha_composite(base, over)


def markers(draw, x0, y0, width):
    """Red square top-left, blue square top-right of a card at (x0, y0)."""
    draw.rectangle([x0 + 10, y0 + 10, x0 + 10 + MARKER - 1, y0 + 10 + MARKER - 1],
                   fill=RED)
    draw.rectangle([x0 + width - 10 - MARKER, y0 + 10,
                    x0 + width - 11, y0 + 10 + MARKER - 1], fill=BLUE)


def photo_placeholder(img, box):
    """Grey photo frame with a darker silhouette, clipped to the frame."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    ph = Image.new("RGBA", (w, h), (178, 178, 178, 255))
    d = ImageDraw.Draw(ph)
    r = w // 5
    cx, head_cy = w // 2, h * 2 // 5
    d.ellipse([cx - r, head_cy - r, cx + r, head_cy + r], fill=(140, 140, 140))
    d.pieslice([20, head_cy + r + 10, w - 20, h + h // 2], 180, 360,
               fill=(140, 140, 140))
    d.rectangle([0, 0, w - 1, h - 1], outline=(110, 110, 110), width=2)
    d.text((cx, h - 18), "PHOTO", font=sans_bold(18), fill=(95, 95, 95),
           anchor="mm")
    img.paste(ph, (x0, y0))


def wrap(draw, text, fnt, width):
    words = text.split(" ")
    lines, cur = [], ""
    for w in words:
        cand = w if not cur else cur + " " + w
        if draw.textlength(cand, font=fnt) <= width:
            cur = cand
        else:
            if cur:
                lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


# --------------------------------------------------------------------------
# identity cards

CARDS = [
    # filename, surname, given names, sex, birth date, birth place,
    # nationality, document number, expiry, MRZ line 1, MRZ line 2
    dict(file="cni-jeanne-martin.jpg", nom="MARTIN", prenom="Jeanne, Louise",
         sexe="F", ne="14/02/1986", lieu="Villeurbanne (69)",
         nat="Française", num="SPEC0A1B2", exp="13/02/2031",
         bg=(232, 240, 250)),
    dict(file="cni-lukasz-nowak.jpg", nom="NOWAK", prenom="Łukasz, Piotr",
         sexe="M", ne="07/09/1979", lieu="Łódź (Pologne)",
         nat="Polonaise", num="SPEC7Q4L9", exp="06/09/2032",
         bg=(240, 236, 248), exif_orientation=6),
    dict(file="cni-anne-sophie-lefevre.jpg", nom="LEFÈVRE",
         prenom="Anne-Sophie, Marie", sexe="F", ne="29/06/1971",
         lieu="Saint-Étienne (42)", nat="Française", num="SPEC3K8D5",
         exp="28/06/2030", bg=(236, 246, 238)),
    dict(file="cni-chloe-muller.jpg", nom="MÜLLER", prenom="Chloé",
         sexe="F", ne="03/12/1994", lieu="Mulhouse (68)", nat="Française",
         num="SPEC5R2T8", exp="02/12/2033", bg=(248, 242, 230)),
    dict(file="cni-zoe-aeroskobing-dahl.jpg", nom="ÆRØSKØBING-DAHL",
         prenom="Zoë, Ingrid", sexe="F", ne="21/04/1990",
         lieu="Ærøskøbing (Danemark)", nat="Française", num="SPEC9W6M1",
         exp="20/04/2034", bg=(234, 244, 248)),
    dict(file="cni-marc-olivier-dubreuil.jpg", nom="DUBREUIL",
         prenom="Marc-Olivier, Jean", sexe="M", ne="11/11/1968",
         lieu="Bourg-en-Bresse (01)", nat="Française", num="SPEC2H7C4",
         exp="10/11/2029", bg=(244, 238, 238)),
]


def mrz_name(s):
    table = str.maketrans({"É": "E", "È": "E", "Ü": "UE", "Ø": "OE", "Ł": "L",
                           "Ș": "S", "Ë": "E", "-": "<", " ": "<", ",": "<"})
    out = s.upper().translate(table).replace("Æ", "AE")
    return out


def make_card(c):
    W, H = 1000, 640
    img = Image.new("RGBA", (W, H), c["bg"] + (255,))
    d = ImageDraw.Draw(img)
    # subtle frame and guilloche-like lines (flat colours: small files)
    d.rectangle([2, 2, W - 3, H - 3], outline=(150, 165, 190), width=3)
    # header
    d.text((W // 2, 40), "CARTE D'IDENTITÉ — SPECIMEN", font=sans_bold(34),
           fill=(20, 40, 100), anchor="mm")
    d.text((W // 2, 84), "Document fictif sans valeur · IDENTITY CARD SPECIMEN",
           font=sans(20), fill=(60, 70, 110), anchor="mm")
    d.line([(70, 108), (W - 70, 108)], fill=(20, 40, 100), width=2)
    # photo
    photo_placeholder(img, (50, 130, 290, 440))
    # fields
    x = 330
    y = 122
    lab = sans(17)
    val = sans_bold(26)
    fields = [
        ("NOM / Surname", c["nom"]),
        ("Prénom(s) / Given names", c["prenom"]),
        ("Sexe", c["sexe"] + "        Nationalité : " + c["nat"]),
        ("Né(e) le / Date of birth", c["ne"] + "   à " + c["lieu"]),
        ("N° du document", c["num"] + "        Expire le : " + c["exp"]),
    ]
    for label, value in fields:
        d.text((x, y), label, font=lab, fill=(70, 80, 110))
        d.text((x, y + 21), value, font=val, fill=(10, 10, 10))
        y += 62
    d.text((x, y + 6), "Signature :", font=lab, fill=(70, 80, 110))
    d.line([(x + 110, y + 24), (x + 330, y + 10), (x + 420, y + 22)],
           fill=(30, 30, 90), width=3)
    # MRZ-like zone (fake, clearly marked)
    d.rectangle([20, 478, W - 21, 622], fill=(250, 250, 250))
    l1 = ("IDXXX" + mrz_name(c["nom"]) + "<<" + mrz_name(c["prenom"]))
    l1 = (l1 + "<" * 44)[:44]
    l2 = (c["num"] + "<SPECIMEN<FICTIF<" + c["ne"].replace("/", ""))
    l2 = (l2 + "<" * 44)[:44]
    d.text((40, 504), l1, font=mono(34), fill=(20, 20, 20))
    d.text((40, 558), l2, font=mono(34), fill=(20, 20, 20))
    # big red diagonal SPECIMEN
    img = diagonal_text(img, "SPECIMEN", sans_bold(170), (220, 0, 0, 120), 27,
                        center=(W // 2 + 40, H // 2 - 10))
    d = ImageDraw.Draw(img)
    markers(d, 0, 0, W)
    return img.convert("RGB")


def save_jpeg(img, path, exif=None):
    kw = dict(quality=85, optimize=False, progressive=False)
    if exif is not None:
        kw["exif"] = exif
    img.save(path, "JPEG", **kw)


# --------------------------------------------------------------------------
# passport (RGBA PNG with transparent margin)

def make_passport(path):
    CW, CH = 980, 680
    M = 60
    img = Image.new("RGBA", (CW + 2 * M, CH + 2 * M), (0, 0, 0, 0))
    card = Image.new("RGBA", (CW, CH), (0, 0, 0, 0))
    d = ImageDraw.Draw(card)
    d.rounded_rectangle([0, 0, CW - 1, CH - 1], radius=20,
                        fill=(238, 232, 246, 255), outline=(120, 100, 150, 255),
                        width=3)
    d.text((CW // 2, 42), "PASSEPORT · PASSPORT · PAȘAPORT — SPECIMEN",
           font=sans_bold(30), fill=(70, 30, 110), anchor="mm")
    d.text((CW // 2, 82),
           "État émetteur : UTO — Utopie (État fictif) · document sans valeur",
           font=sans(19), fill=(90, 60, 120), anchor="mm")
    photo_placeholder(card, (50, 125, 290, 435))
    x, y = 330, 112
    lab = sans(16)
    val = sans_bold(25)
    for label, value in [
        ("Type / Code / N° de passeport", "P      UTO      SPECP0071"),
        ("Nom / Surname / Nume", "POPESCU"),
        ("Prénoms / Given names / Prenume", "Ștefan, Mihai"),
        ("Nationalité / Nationality", "Utopienne (fictive)"),
        ("Date et lieu de naissance", "18/05/1983   Iași (fictif)"),
        ("Délivré le / Expire le", "02/03/2024   01/03/2034"),
    ]:
        d.text((x, y), label, font=lab, fill=(80, 60, 110))
        d.text((x, y + 20), value, font=val, fill=(10, 10, 10))
        y += 60
    d.rectangle([20, 500, CW - 21, 660], fill=(252, 252, 252, 255))
    d.text((40, 530), "P<UTOPOPESCU<<STEFAN<MIHAI<<<<<<<<<<<<<<<<<<",
           font=mono(33), fill=(20, 20, 20, 255))
    d.text((40, 590), "SPECP0071<UTO8305186M3403014<SPECIMEN<<<<<",
           font=mono(33), fill=(20, 20, 20, 255))
    card = diagonal_text(card, "SPECIMEN", sans_bold(170), (220, 0, 0, 120), 27,
                         center=(CW // 2 + 40, CH // 2 - 10))
    # keep the rounded corners transparent after compositing
    mask = Image.new("L", (CW, CH), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, CW - 1, CH - 1], radius=20,
                                           fill=255)
    card.putalpha(mask)
    markers(ImageDraw.Draw(card), 0, 0, CW)
    img.paste(card, (M, M))
    img.save(path, "PNG", optimize=True)


# --------------------------------------------------------------------------
# one-page A4 PDF documents

A4 = (1240, 1754)  # 150 dpi


def make_page(title, subtitle, blocks, footer):
    W, H = A4
    img = Image.new("RGBA", A4, (255, 255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle([60, 60, W - 61, H - 61], outline=(40, 40, 40), width=3)
    size = 50
    while d.textlength(title, font=serif_bold(size)) > W - 260:
        size -= 2
    d.text((W // 2, 140), title, font=serif_bold(size), fill=(0, 0, 0),
           anchor="mm")
    d.text((W // 2, 200), subtitle, font=serif(28), fill=(60, 60, 60),
           anchor="mm")
    d.line([(120, 240), (W - 120, 240)], fill=(0, 0, 0), width=2)
    y = 280
    h_font = serif_bold(30)
    t_font = serif(27)
    for heading, lines in blocks:
        if heading:
            d.text((120, y), heading, font=h_font, fill=(0, 0, 80))
            y += 46
        for line in lines:
            for part in wrap(d, line, t_font, W - 280):
                d.text((150, y), part, font=t_font, fill=(20, 20, 20))
                y += 36
        y += 18
    d.text((W // 2, H - 120), footer, font=serif(22), fill=(90, 90, 90),
           anchor="mm")
    img = diagonal_text(img, "SPECIMEN — document fictif", sans_bold(96),
                        (220, 0, 0, 110), 54)
    d = ImageDraw.Draw(img)
    d.text((W // 2, H - 170), "SPECIMEN", font=sans_bold(44),
           fill=(200, 0, 0), anchor="mm")
    return img.convert("RGB")


PDF_DPI = 110  # stored resolution: keeps each PDF well under 150 KB


def save_pdf(img, path, title):
    img = img.resize((round(A4[0] * PDF_DPI / 150), round(A4[1] * PDF_DPI / 150)),
                     Image.LANCZOS)
    img.save(path, "PDF", resolution=PDF_DPI, quality=60, title=title,
             author="dossier samples", creator="tools/make-specimens.py",
             producer="tools/make-specimens.py",
             creationDate=PDF_DATE, modDate=PDF_DATE)


def make_kbis(path):
    img = make_page(
        "EXTRAIT Kbis — SPECIMEN",
        "Greffe fictif du tribunal de commerce — à jour au 15 octobre 2026",
        [
            ("IDENTIFICATION DE LA PERSONNE MORALE", [
                "Immatriculation au RCS, numéro : 952 018 349 R.C.S. (fictif)",
                "Date d'immatriculation : 14/03/2019",
                "Dénomination ou raison sociale : BRINDILLE & CIE",
                "Forme juridique : Société par actions simplifiée (SAS)",
                "Capital social : 12 000,00 euros",
                "Adresse du siège : 18 rue des Tanneurs Imaginaires, 69002 Lyon",
                "Activités principales : conception et fabrication de mobilier "
                "urbain en bois, conseil en aménagement paysager.",
                "Durée de la personne morale : 99 ans à compter du 14/03/2019",
            ]),
            ("GESTION, DIRECTION, ADMINISTRATION", [
                "Président : DUBREUIL Marc-Olivier Jean, né le 11/11/1968 à "
                "Bourg-en-Bresse (01), de nationalité française.",
                "Directrice générale : MARTIN Jeanne Louise, née le 14/02/1986 "
                "à Villeurbanne (69).",
            ]),
            ("RENSEIGNEMENTS RELATIFS À L'ÉTABLISSEMENT PRINCIPAL", [
                "SIRET : 952 018 349 00011 (fictif)",
                "Adresse : 18 rue des Tanneurs Imaginaires, 69002 Lyon",
                "Date de commencement d'activité : 01/04/2019",
                "Origine du fonds : création",
            ]),
            (None, [
                "Le greffier (signature specimen).  Ce document est un "
                "specimen fabriqué pour des tests : il ne décrit aucune "
                "société réelle et n'a aucune valeur juridique.",
            ]),
        ],
        "Specimen généré par tools/make-specimens.py — personnes et "
        "organisation inventées")
    save_pdf(img, path, "Extrait Kbis - SPECIMEN")


def make_statuts(path):
    img = make_page(
        "STATUTS ET PROCÈS-VERBAL — SPECIMEN",
        "Association déclarée (loi du 1er juillet 1901) — document fictif",
        [
            ("STATUTS (extraits)", [
                "Article 1 — Dénomination : il est fondé entre les adhérents "
                "aux présents statuts une association dénommée « Œuvre des "
                "Jardins Ouvriers de Vénissieux ».",
                "Article 2 — Objet : mettre à disposition des habitants des "
                "parcelles de jardin et promouvoir le jardinage partagé.",
                "Article 3 — Siège social : 7 chemin des Cerisiers Fictifs, "
                "69200 Vénissieux.",
                "Article 9 — Bureau : l'assemblée générale élit un bureau "
                "composé d'un(e) président(e), d'un(e) vice-président(e) et "
                "d'un(e) trésorier(ère). Le (la) président(e) représente "
                "l'association dans tous les actes de la vie civile.",
            ]),
            ("PROCÈS-VERBAL DE L'ASSEMBLÉE GÉNÉRALE DU 12 MARS 2026", [
                "SIREN : 794 512 632 (fictif).",
                "L'assemblée générale, réunie au siège, a élu à l'unanimité :",
                "— Présidente : Mme Anne-Sophie LEFÈVRE ;",
                "— Vice-président : M. Ștefan POPESCU ;",
                "— Trésorière : Mme Chloé MÜLLER.",
                "Fait à Vénissieux, le 12 mars 2026. La présidente, la "
                "trésorière (signatures specimen).",
            ]),
        ],
        "Specimen généré par tools/make-specimens.py — personnes et "
        "association inventées")
    save_pdf(img, path, "Statuts et PV - SPECIMEN")


def make_delegation(path):
    dots = "…" * 16
    img = make_page(
        "Délégation de signature — SPECIMEN",
        "Modèle fictif — certificat électronique",
        [
            ("DÉLÉGANT", [
                "Je soussigné(e) " + dots + ", représentant(e) légal(e) de "
                "l'organisation " + dots + " (SIREN " + "…" * 9 + "),",
            ]),
            ("DÉLÉGATAIRE", [
                "donne délégation à M. / Mme " + dots + ", fonction : " + dots
                + ",",
                "pour signer en mon nom la demande de certificat électronique "
                "ainsi que tout document relatif à sa délivrance, à son "
                "renouvellement et à sa révocation.",
            ]),
            ("DURÉE", [
                "La présente délégation est valable jusqu'à sa révocation "
                "expresse et au plus tard trois ans après sa signature.",
            ]),
            ("SIGNATURES", [
                "Fait à " + "…" * 12 + ", le " + "…" * 10,
                "Le délégant (signature specimen)          "
                "Le délégataire (signature specimen)",
            ]),
        ],
        "Specimen généré par tools/make-specimens.py — document sans valeur")
    save_pdf(img, path, "Delegation de signature - SPECIMEN")


# --------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "samples", "pieces")
    os.makedirs(out, exist_ok=True)

    for c in CARDS:
        upright = make_card(c)
        path = os.path.join(out, c["file"])
        if c.get("exif_orientation") == 6:
            # Stored like a phone does: pixels rotated 90° counter-clockwise,
            # EXIF Orientation=6 tells viewers to rotate 90° clockwise.
            stored = upright.transpose(Image.ROTATE_90)
            exif = Image.Exif()
            exif[0x0112] = 6
            save_jpeg(stored, path, exif=exif.tobytes())
        else:
            save_jpeg(upright, path)

    make_passport(os.path.join(out, "passeport-stefan-popescu.png"))
    make_kbis(os.path.join(out, "kbis-specimen.pdf"))
    make_statuts(os.path.join(out, "statuts-association-specimen.pdf"))
    make_delegation(os.path.join(out, "delegation-specimen.pdf"))


if __name__ == "__main__":
    main()
