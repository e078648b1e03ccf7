#!/usr/bin/python3
"""Convert a request CSV (';', UTF-8 with or without BOM, RFC 4180 quoting)
into the equivalent XML document.

Each column "a.b" becomes <a><b>value</b></a> under <demande>; top-level
columns (numero, date, demandeur, papier) become direct children.  Empty
cells are omitted, and a group element is omitted when all its children are
empty.  Element order follows the column order.

Usage:  /usr/bin/python3 tools/csv2xml.py samples/demandes.csv samples/demandes.xml
"""

import csv
import sys
from xml.sax.saxutils import escape


def convert(rows, header):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<demandes>"]
    for row in rows:
        out.append("  <demande>")
        group = None      # name of the currently open group element
        for name in header:
            value = row.get(name, "")
            if value == "":
                continue
            if "." in name:
                g, leaf = name.split(".", 1)
            else:
                g, leaf = None, name
            if g != group:
                if group is not None:
                    out.append("    </%s>" % group)
                if g is not None:
                    out.append("    <%s>" % g)
                group = g
            indent = "      " if g is not None else "    "
            text = escape(value)
            # keep line breaks and tabs explicit so they survive parsing
            text = text.replace("\r", "&#13;").replace("\t", "&#9;")
            out.append("%s<%s>%s</%s>" % (indent, leaf, text, leaf))
        if group is not None:
            out.append("    </%s>" % group)
        out.append("  </demande>")
    out.append("</demandes>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: csv2xml.py INPUT.csv OUTPUT.xml")
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";", quotechar='"')
        header = reader.fieldnames
        rows = list(reader)
    groups_seen = []
    for name in header:
        g = name.split(".", 1)[0] if "." in name else None
        if g is not None and g in groups_seen and groups_seen[-1] != g:
            raise SystemExit("columns of group %r are not contiguous" % g)
        if g is not None and (not groups_seen or groups_seen[-1] != g):
            groups_seen.append(g)
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
        f.write(convert(rows, header))


if __name__ == "__main__":
    main()
