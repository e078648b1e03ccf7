"""ZIP structure tampering for the verifier's tests: a container is split into its local
records and central directory, changed the way an attacker would (bytes hidden between
entries, a local entry missing from the central directory, a local header that
disagrees with its central record, data after the end record), and written back with
every offset recomputed, so that each case differs from a sound ZIP by one thing.

    python3 ziptamper.py IN OUT OP [ARGS...]
"""
import struct
import sys
import zipfile
import zlib

LOCAL, CENTRAL, END = 0x04034B50, 0x02014B50, 0x06054B50
LOCAL_FMT = "<IHHHHHIIIHH"           # signature .. extra length: 30 bytes
CENTRAL_FMT = "<IHHHHHHIIIHHHHHII"   # signature .. local offset: 46 bytes


class Entry:
    """One member: its local record (header, name, extra, data) and central record."""

    def __init__(self, local, central):
        self.local = bytearray(local)
        self.central = bytearray(central)

    @property
    def name(self):
        n = struct.unpack_from("<H", self.central, 28)[0]
        return bytes(self.central[46:46 + n]).decode("utf-8")


def parse(data):
    """The entries of DATA, a ZIP without comment, descriptors or ZIP64."""
    end = len(data) - 22
    sig, _, _, count, _, cd_size, cd_offset, comment = struct.unpack_from("<IHHHHIIH", data, end)
    assert sig == END and comment == 0, "fin de répertoire central attendue en fin de fichier"
    entries, p = [], cd_offset
    for _ in range(count):
        f = struct.unpack_from(CENTRAL_FMT, data, p)
        assert f[0] == CENTRAL
        clen = 46 + f[10] + f[11] + f[12]
        offset, csize = f[16], f[8]
        lf = struct.unpack_from(LOCAL_FMT, data, offset)
        llen = 30 + lf[9] + lf[10] + csize
        entries.append(Entry(data[offset:offset + llen], data[p:p + clen]))
        p += clen
    return entries


def write(layout, after_entries=b"", between_cd_end=b"", comment=b"", trailing=b""):
    """LAYOUT: Entry objects (listed in the central directory), ("hidden", Entry)
    (local record only) or bytes (junk). Offsets and the end record are recomputed."""
    out, central, count = bytearray(), bytearray(), 0
    for item in layout:
        if isinstance(item, Entry):
            c = bytearray(item.central)
            struct.pack_into("<I", c, 42, len(out))
            central += c
            count += 1
            out += item.local
        elif isinstance(item, tuple):
            out += item[1].local
        else:
            out += item
    out += after_entries
    cd_offset = len(out)
    out += central + between_cd_end
    out += struct.pack("<IHHHHIIH", END, 0, 0, count, count, len(central), cd_offset, len(comment)) + comment
    return bytes(out + trailing)


def one_entry(name, data):
    """A sound local + central record for NAME holding DATA (stored, UTF-8 flag)."""
    raw = name.encode()
    crc = zlib.crc32(data) & 0xFFFFFFFF
    local = struct.pack(LOCAL_FMT, LOCAL, 20, 0x800, 0, 0, 0x21, crc, len(data), len(data), len(raw), 0) + raw + data
    central = struct.pack(CENTRAL_FMT, CENTRAL, 20, 20, 0x800, 0, 0, 0x21, crc, len(data), len(data),
                          len(raw), 0, 0, 0, 0, 0o100644 << 16, 0) + raw
    return Entry(local, central)


def find(entries, name):
    return next(e for e in entries if e.name == name)


def put_entry(src, out, name, data):
    """NAME's bytes replaced by DATA, or a new stored entry NAME before META-INF;
    written by zipfile, a sound ZIP."""
    with zipfile.ZipFile(src) as z:
        members = [[i, z.read(i)] for i in z.infolist()]
    hit = [m for m in members if m[0].filename == name]
    if hit:
        hit[0][1] = data
    else:
        info = zipfile.ZipInfo(name, date_time=members[0][0].date_time)
        info.external_attr = 0o100644 << 16
        members.insert(len(members) - 2, [info, data])
    with zipfile.ZipFile(out, "w") as z:
        for info, body in members:
            z.writestr(info, body)


def main():
    src, out, op, *args = sys.argv[1:]
    data = open(src, "rb").read()
    if op == "put":                      # NAME FILE: NAME replaced or added, with FILE's bytes
        put_entry(src, out, args[0], open(args[1], "rb").read())
        return
    entries = parse(data)
    layout, kw = list(entries), {}
    if op == "same":                     # parsed and written back: must be byte-identical
        pass
    elif op == "hidden-entry":           # NAME TEXT: a local entry after mimetype, not in the CD
        layout.insert(1, ("hidden", one_entry(args[0], args[1].encode())))
    elif op == "gap":                    # TEXT: bytes between mimetype and the next entry
        layout.insert(1, args[0].encode())
    elif op == "before-cd":              # TEXT: bytes between the last entry and the CD
        kw["after_entries"] = args[0].encode()
    elif op == "after-cd":               # TEXT: bytes between the CD and its end record
        kw["between_cd_end"] = args[0].encode()
    elif op == "comment":                # TEXT: the archive comment
        kw["comment"] = args[0].encode()
    elif op == "trailing":               # TEXT: bytes after the end record
        kw["trailing"] = args[0].encode()
    elif op == "local":                  # NAME FIELD VALUE: one local header field changed
        e = find(entries, args[0])
        field, value = args[1], args[2]
        if field == "name":              # same length: the central record keeps the old one
            n = struct.unpack_from("<H", e.local, 26)[0]
            raw = value.encode()
            assert len(raw) == n, "même longueur de nom attendue"
            e.local[30:30 + n] = raw
        else:
            at = {"flags": (6, "<H"), "method": (8, "<H"), "crc": (14, "<I"),
                  "csize": (18, "<I"), "size": (22, "<I")}[field]
            struct.pack_into(at[1], e.local, at[0], int(value, 0))
    else:
        sys.exit("opération inconnue " + op)
    result = write(layout, **kw)
    if op == "same":
        assert result == data, "réécriture non identique"
    open(out, "wb").write(result)


if __name__ == "__main__":
    main()
