#!/usr/bin/env python3
"""Builds the release SPA into dist/ with cargo, wasm-split and wasm-bindgen — no Trunk.

Why: Trunk compiled from crates.io for 10–12.5 minutes on a fresh machine (no registry ships it
prebuilt), more than half of a newcomer's first `make run`, and the release build already redid
Trunk's wasm-bindgen step in its post-build hook. Everything Trunk still did here is small:

1. `cargo build --target wasm32-unknown-unknown --profile wasm-release --bin frontend` (offline);
2. `split_wasm.split_and_bind`: wasm-split into the main module and the lazily loaded page
   modules, wasm-bindgen on the main module (see split_wasm.py);
3. the `<link data-trunk …>` lines of frontend/index.html, the same markup `trunk serve` reads:
   `css` and `icon` become fingerprinted copies (`main-<16 hex>.css`, which the server caches for
   a year), `copy-dir` copies a folder as is (fonts keep stable names for their preloads), and
   `rust` becomes the module preload, the WASM preload and the inline bootstrap script that the
   server admits by its SHA-256 in the CSP.

Trunk.toml stays for `trunk serve` during development (optional; not installed by the scripts).

Usage: build_spa.py [--dist DIR] [--skip-cargo]   (CARGO_TARGET_DIR: where cargo builds)
"""
import argparse
import html
import os
import pathlib
import re
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from split_wasm import fingerprint, split_and_bind  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
PROFILE = "wasm-release"
TRUNK_LINK = re.compile(r"^(?P<indent>\s*)<link data-trunk (?P<attrs>[^>]*?)\s*/?>\s*$")
ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def cargo_build(target_dir: pathlib.Path) -> pathlib.Path:
    subprocess.run(
        [
            "cargo", "build", "--target", "wasm32-unknown-unknown",
            "--manifest-path", str(FRONTEND / "Cargo.toml"),
            "--profile", PROFILE, "--offline", "--bin", "frontend",
        ],
        check=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(target_dir)},
    )
    wasm = target_dir / "wasm32-unknown-unknown" / PROFILE / "frontend.wasm"
    if not wasm.is_file():
        raise SystemExit(f"build_spa: cargo did not produce {wasm}")
    return wasm


def hashed_copy(src: pathlib.Path, dist: pathlib.Path) -> str:
    data = src.read_bytes()
    name = f"{src.stem}-{fingerprint(data)}{src.suffix}"
    (dist / name).write_bytes(data)
    return name


def bootstrap(base: str) -> list[str]:
    js, wasm = f"/{base}.js", f"/{base}_bg.wasm"
    return [
        f'<link rel="modulepreload" href="{js}" crossorigin="anonymous">',
        f'<link rel="preload" href="{wasm}" crossorigin="anonymous" as="fetch" type="application/wasm">',
        '<script type="module">',
        f"import init, * as bindings from '{js}';",
        f"await init({{ module_or_path: '{wasm}' }});",
        "window.wasmBindings = bindings;",
        "</script>",
    ]


def render_index(dist: pathlib.Path, base: str) -> str:
    out = []
    for line in (FRONTEND / "index.html").read_text(encoding="utf-8").splitlines():
        m = TRUNK_LINK.match(line)
        if not m:
            out.append(line)
            continue
        indent = m.group("indent")
        attrs = dict(ATTR.findall(m.group("attrs")))
        rel, href = attrs.get("rel"), attrs.get("href", "")
        src = FRONTEND / href
        if rel == "css":
            out.append(f'{indent}<link rel="stylesheet" href="/{hashed_copy(src, dist)}">')
        elif rel == "icon":
            kind = f' type="{html.escape(attrs["type"])}"' if "type" in attrs else ""
            out.append(f'{indent}<link rel="icon" href="/{hashed_copy(src, dist)}"{kind}>')
        elif rel == "copy-dir":
            shutil.copytree(src, dist / src.name, dirs_exist_ok=True)
        elif rel == "rust":
            out.extend(indent + part for part in bootstrap(base))
        else:
            raise SystemExit(f"build_spa: unsupported <link data-trunk rel={rel!r}>")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--skip-cargo", action="store_true", help="use the frontend.wasm already built")
    args = parser.parse_args()
    target_dir = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    wasm = (
        target_dir / "wasm32-unknown-unknown" / PROFILE / "frontend.wasm"
        if args.skip_cargo
        else cargo_build(target_dir)
    )
    dist = pathlib.Path(args.dist)
    # Built beside dist/ and swapped in at the end: a running server never sees half a build.
    staging = dist.with_name(dist.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    base = f"frontend-{fingerprint(wasm.read_bytes())}"
    summary = split_and_bind(wasm, staging, base)
    (staging / "index.html").write_text(render_index(staging, base), encoding="utf-8")
    old = dist.with_name(dist.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    staging.rename(dist)
    shutil.rmtree(old, ignore_errors=True)
    print(f"build_spa: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
