# iocwall — the two commands a newcomer needs: `make run` and `make test`.
# Both set everything up on a fresh Debian machine: the missing Debian packages (apt-get), a .venv
# with the pinned Python packages, then run. A second run does no network work (stamp files).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.iocwall-installed
SYSSTAMP := .cache/system-packages.ok
PKGSTAMP := $(VENV)/.iocwall-package-installed

.PHONY: run test lint bench setup system clean-venv translations package package-check \
	package-server package-gateway

run: setup
	@echo "iocwall demo: every demo user's password is 'demo' (ioc.operator, police.commander, ward.dongphu.police, ...)"
	$(PY) main.py --demo

test: setup
	$(PY) -m tests.run_all

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy app layouts server widgets shell main.py common gateway
	$(VENV)/bin/lint-imports

bench: setup
	$(PY) -m bench

# The operator-workstation client: a PyInstaller one-dir bundle in a .deb (dist/);
# installer/README.md says what it holds and why.
package: $(PKGSTAMP)
	$(PY) installer/build_deb.py

# Extract the .deb and run its self-check against a one-camera lab on a private Xvfb.
package-check: package
	$(PY) installer/package_check.py

# The site's backend and media gateway: source, maintainer scripts and systemd units in
# architecture-independent .debs (dist/); docs/administration.md installs them.
package-server: $(STAMP)
	$(PY) -m installer.build_server

package-gateway: $(STAMP)
	$(PY) -m installer.build_gateway

setup: $(SYSSTAMP) $(STAMP)

system: $(SYSSTAMP)

$(SYSSTAMP): scripts/system-packages.txt scripts/bootstrap.sh
	bash scripts/bootstrap.sh
	@mkdir -p .cache && touch $@

$(STAMP): pyproject.toml constraints.txt $(SYSSTAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q -c constraints.txt -e ".[dev,bench]"
	touch $@

$(PKGSTAMP): $(STAMP)
	$(PY) -m pip install -q -c constraints.txt -e ".[package]"
	touch $@

clean-venv:
	rm -rf $(VENV) .cache
