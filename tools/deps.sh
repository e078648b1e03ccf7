#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, only those missing.
# Run by `make deps` (and so by `make demo` and `make check`).
set -euo pipefail

packages=(
  # build
  gcc make pkg-config
  libhpdf-dev          # PDF writing (libharu)
  libxml2-dev          # XML input, templates, schema validation
  libzip-dev           # ZIP / ASiC-E containers
  libqrencode-dev      # QR tracking codes
  libssl-dev           # SHA-256, CMS (CAdES) seals
  libcairo2-dev        # raster work: ID copies, watermark
  libfreetype-dev      # the watermark's font, from fonts/
  libpoppler-glib-dev  # PDF pieces rendered onto a cairo surface
  libturbojpeg0-dev    # JPEG decode (DCT scaling) and encode
  libpng-dev zlib1g-dev
  libzbar-dev          # check-scan: finds and decodes the scanned pages' QR codes
  libtiff-dev          # check-scan: scanned pages in TIFF (multi-page, as scanners write)
  # tests
  libcmocka-dev        # unit tests
  poppler-utils        # pdftotext, pdffonts, pdftoppm, pdfinfo
  qpdf                 # qpdf --check
  zbar-tools           # zbarimg decodes the QR codes
  libxml2-utils        # xmllint --schema
  openssl unzip
  python3              # small checks in the end-to-end tests
  time                 # make bench: peak RSS (/usr/bin/time)
)

# `tools/deps.sh fuzz` (make fuzz): clang and its libFuzzer runtime as well.
if [ "${1:-}" = fuzz ]; then
  packages+=(clang libclang-rt-14-dev)
fi
# `tools/deps.sh bench` (make bench): the peer pipeline it compares with (tools/peer/).
if [ "${1:-}" = bench ]; then
  packages+=(python3-reportlab python3-pil python3-cryptography)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installation de ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=sudo; else
    echo "deps: paquets manquants (${missing[*]}) et pas les droits root pour les installer" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
