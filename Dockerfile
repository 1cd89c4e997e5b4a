# Multi-stage build: the WASM app and the server are compiled in a Rust image; the runtime image
# holds only the binary and the built SPA.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/* \
 && rustup target add wasm32-unknown-unknown \
 && cargo install wasm-bindgen-cli --version 0.2.130 \
 && cargo install --locked wasm_split_cli_support@0.2.4 --features build-binary
WORKDIR /src
COPY . .
RUN cargo fetch && python3 frontend/tools/build_spa.py \
 && cargo build --release -p musabaqati

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/musabaqati musabaqati && mkdir -p /var/lib/musabaqati && chown musabaqati /var/lib/musabaqati
COPY --from=build /src/target/release/musabaqati /usr/local/bin/musabaqati
COPY --from=build /src/dist /usr/share/musabaqati/dist
USER musabaqati
WORKDIR /var/lib/musabaqati
ENV MUSABAQATI_BIND=0.0.0.0:8080 \
    MUSABAQATI_STATIC_DIR=/usr/share/musabaqati/dist \
    MUSABAQATI_DATA_DIR=/var/lib/musabaqati
EXPOSE 8080
ENTRYPOINT ["musabaqati"]
CMD ["serve"]
