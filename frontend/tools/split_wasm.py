#!/usr/bin/env python3
"""Cuts the app into a main WASM module and lazily loaded page modules.

Why: one WASM holding every page grew past the 350 KB (gzipped) budget, and most visitors never
open most pages. The pages are Leptos lazy routes (`#[lazy_route]`, frontend/src/main.rs): each
marks a split point, and `wasm-split-cli` (crates.io `wasm_split_cli_support`, pinned in
scripts/ensure-tools.sh) moves the code only reachable from a split point into its own module,
plus shared chunks, with a small JS loader. See docs/FRONTEND.md.

Used by `build_spa.py` (the release build, no Trunk) and, for `trunk serve` during development,
as Trunk's post_build hook (Trunk has then already run wasm-bindgen on the whole app; the hook
redoes that step on the split main module, under Trunk's file names so index.html stays valid):

1. take cargo's `frontend.wasm` (built with `-Clink-args=--emit-relocs`, .cargo/config.toml),
2. `wasm-split-cli` it into `main.wasm` + `split_*.wasm` / `chunk_*.wasm` + `__wasm_split.js`,
3. `wasm-bindgen --keep-lld-exports` on `main.wasm`, replacing Trunk's glue JS and `_bg.wasm`,
4. put the loader and the page modules in `split/` with content hashes in their names (the server
   caches fingerprinted files for a year) and point the imports at the hashed names,
5. drop custom sections (function names, relocations) from every module: they only add bytes.
"""
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile



def leb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def strip_custom_sections(data: bytes) -> bytes:
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        start = pos
        section_id = data[pos]
        size, body = leb128(data, pos + 1)
        end = body + size
        if section_id != 0:
            out += data[start:end]
        pos = end
    return bytes(out)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def cargo_wasm(crate: str) -> pathlib.Path:
    """The newest `<crate>.wasm` cargo built for wasm32 (any profile)."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    candidates = list((target / "wasm32-unknown-unknown").glob(f"*/{crate}.wasm"))
    if not candidates:
        raise SystemExit(f"split_wasm: no {crate}.wasm under {target}/wasm32-unknown-unknown")
    return max(candidates, key=lambda p: p.stat().st_mtime)


def split_and_bind(wasm: pathlib.Path, staging: pathlib.Path, base: str) -> str:
    """Cuts `wasm` (cargo's output) into modules and writes `<base>.js`, `<base>_bg.wasm`,
    `split/` and `snippets/` into `staging`. Returns a one-line summary."""
    glue_js = staging / f"{base}.js"
    bg_wasm = staging / f"{base}_bg.wasm"
    with tempfile.TemporaryDirectory(prefix="musabaqati-split-") as tmp:
        tmp = pathlib.Path(tmp)
        split_dir, bindgen_dir = tmp / "split", tmp / "bindgen"
        subprocess.run(["wasm-split-cli", str(wasm), str(split_dir)], check=True)
        subprocess.run(
            [
                "wasm-bindgen", str(split_dir / "main.wasm"),
                "--target", "web", "--out-dir", str(bindgen_dir), "--out-name", base,
                "--no-typescript", "--keep-lld-exports",
            ],
            check=True,
        )

        out_dir = staging / "split"
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir()
        loader = (split_dir / "__wasm_split.js").read_text(encoding="utf-8")
        total = 0
        for module in sorted(split_dir.glob("*.wasm")):
            if module.name == "main.wasm":
                continue
            data = strip_custom_sections(module.read_bytes())
            hashed = f"{module.stem}-{fingerprint(data)}.wasm"
            (out_dir / hashed).write_bytes(data)
            total += len(data)
            quoted = f'"./{module.name}"'
            if quoted not in loader:
                raise SystemExit(f"split_wasm: the loader never mentions {module.name}")
            loader = loader.replace(quoted, f'"./{hashed}"')
        loader = loader.replace('from "./main.js"', f'from "../{glue_js.name}"')
        loader_name = f"__wasm_split-{fingerprint(loader.encode())}.js"
        (out_dir / loader_name).write_text(loader, encoding="utf-8")

        js = (bindgen_dir / f"{base}.js").read_text(encoding="utf-8")
        # Only the module specifiers move; the import object keys stay the wasm's import names.
        js, moved = re.subn(
            r"""from (["'])\./__wasm_split\.js\1""", f'from "./split/{loader_name}"', js
        )
        if moved == 0:
            raise SystemExit("split_wasm: the glue JS does not import the split loader")
        glue_js.write_text(js, encoding="utf-8")
        main_wasm = strip_custom_sections((bindgen_dir / f"{base}_bg.wasm").read_bytes())
        bg_wasm.write_bytes(main_wasm)
        snippets = bindgen_dir / "snippets"
        shutil.rmtree(staging / "snippets", ignore_errors=True)
        if snippets.is_dir():
            shutil.copytree(snippets, staging / "snippets")

    return f"main {len(main_wasm)} bytes; {len(list(out_dir.glob('*.wasm')))} lazy modules, {total} bytes"


def main() -> int:
    """As Trunk's post_build hook: redo the last step under Trunk's file names."""
    staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR", "dist"))
    glue = [p for p in staging.glob("frontend-*.js") if re.fullmatch(r"frontend-[0-9a-f]+\.js", p.name)]
    if len(glue) != 1:
        raise SystemExit(f"split_wasm: expected one frontend-<hash>.js in {staging}, found {len(glue)}")
    print("split_wasm: " + split_and_bind(cargo_wasm("frontend"), staging, glue[0].stem))
    return 0


if __name__ == "__main__":
    sys.exit(main())
