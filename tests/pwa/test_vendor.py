"""The vendored QR decoder ships with its licence, and its compressed copy is the same file."""

import gzip
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "hadir" / "pwa" / "static" / "pwa" / "vendor"


def test_the_compressed_decoder_is_the_decoder():
    assert (
        gzip.decompress((VENDOR / "jsQR.js.gz").read_bytes()) == (VENDOR / "jsQR.js").read_bytes()
    )


def test_the_decoder_comes_with_its_licence():
    assert "Apache License" in (VENDOR / "jsQR.LICENSE").read_text()
