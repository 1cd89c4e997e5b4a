#!/usr/bin/env python3
"""Trunk post_build hook: drops the `name` custom section from the built WASM.

Why: wasm-bindgen keeps the function-name section (≈850 KB raw, +120 KB gzipped for this app).
wasm-opt would normally remove it, but Debian's binaryen 108 mis-maps wasm-bindgen's externref
table export (`__wbindgen_externrefs` ends up pointing at the funcref table), which breaks the
app at start-up, so wasm-opt is off (see frontend/index.html and docs/FRONTEND.md). Stripping the
section by hand gives the same size within 1%.

The file is rewritten in Trunk's staging dir and its SRI hash in index.html is updated to match.
"""
import base64
import hashlib
import os
import pathlib
import sys


def leb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def strip_name_section(data: bytes) -> bytes:
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        start = pos
        section_id = data[pos]
        size, body = leb128(data, pos + 1)
        end = body + size
        keep = True
        if section_id == 0:
            name_len, name_start = leb128(data, body)
            keep = data[name_start:name_start + name_len] != b"name"
        if keep:
            out += data[start:end]
        pos = end
    return bytes(out)


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def main() -> int:
    staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR", "dist"))
    html = staging / "index.html"
    page = html.read_text(encoding="utf-8") if html.exists() else None
    for wasm in staging.glob("*_bg.wasm"):
        before = wasm.read_bytes()
        after = strip_name_section(before)
        if after == before:
            continue
        wasm.write_bytes(after)
        if page is not None:
            page = page.replace(sri(before), sri(after))
        print(f"strip_wasm_names: {wasm.name}: {len(before)} -> {len(after)} bytes")
    if page is not None:
        html.write_text(page, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
