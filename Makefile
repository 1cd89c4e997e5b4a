# The README's two commands are `make run` and `make test`. Make is only the front door: the work
# is in scripts/ (plain bash), because most of it is installing tools and starting services,
# which a shell does more plainly than an xtask binary that would itself need compiling first.
.PHONY: run test test-rust test-e2e fuzz bench fmt lint tools cluster cluster-down cluster-test

run:        ## Build everything and serve the product on http://127.0.0.1:8080 (SQLite by default)
	@bash scripts/run.sh

test:       ## Every test: unit, API on SQLite and PostgreSQL, browser end-to-end
	@bash scripts/test.sh

test-rust:  ## Only the Rust tests (both databases)
	@SKIP_E2E=1 SKIP_CLUSTER=1 bash scripts/test.sh

fuzz:       ## Fuzz the live API against its OpenAPI document (schemathesis; part of `make test`)
	@bash scripts/fuzz.sh

cluster:    ## The shipped topology on this machine: PostgreSQL, Redis, two replicas, nginx with TLS (scripts/cluster.sh)
	@bash scripts/cluster.sh up

cluster-down:
	@bash scripts/cluster.sh down

cluster-test: ## The cluster with faults, a rolling restart and a backup round trip (part of `make test`)
	@bash scripts/cluster-test.sh

bench:      ## Load benchmarks (see docs/BENCHMARKS.md)
	@bash scripts/bench.sh

fmt:
	@cargo fmt --all

lint:
	@bash -c 'source scripts/env.sh && cargo clippy --all-targets -- -D warnings'

tools:      ## Install the pinned build tools that are missing
	@bash scripts/ensure-tools.sh
