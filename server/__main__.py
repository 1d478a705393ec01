"""``python -m server``: migrate, optionally seed the demo, and serve; or verify the audit log.

    python -m server init --data-dir DIR --admin-username NAME [--admin-password-file FILE]
        a new site: the database, the keys, the operating unit and its first administrator
        (the password from the file's first line, or asked twice; never on the command line)
        and its certificates (``tls/``: a new site CA, or the site's own with --tls-ca-cert,
        --tls-cert and --tls-key; --tls-host NAME for each name workstations dial)
    python -m server [--data-dir DIR] [--demo] [--lab-manifest PATH] [--host 127.0.0.1]
                     [--port 8700] [--insecure-loopback]
        serve an initialised site over HTTPS (exit 2 with the way to run init otherwise);
        --demo makes the demo site itself, certificates included; plain HTTP only on a
        loopback address with --insecure-loopback
    python -m server tls [--tls-host NAME ...]
        the certificates of a site initialised without them
    python -m server tls-fingerprint
        the site CA's SHA-256 fingerprint, which the administrator reads out to operators
    python -m server gateway-cert NAME --host H [--host H2 ...] --out DIR
        a remote gateway's certificate and key from the site CA (its configuration's "tls")
    python -m server migrate
        only the migration (serving migrates too): a site runs it as the schema's owner
    python -m server audit verify
    python -m server permissions-doc
    python -m server gateway-token-key
        the public key a gateway on another machine trusts tokens from (its "token_keys")
    python -m server clip verify FILE MANIFEST [--public-key PEM]
        exit 0 intact, 1 altered (hash mismatch), 2 signature invalid (checked against the
        current evidence key and every retired one, unless --public-key names one)
    python -m server backup --to DIR [--data-dir D] [--settings-file F]
    python -m server restore --from DIR [--data-dir D] [--settings-file F] [--force] [--strict]
        the database, the keys and the settings (server.backup; docs/keys.md)
    python -m server rotate-keys --evidence | --token | --credentials [--data-dir D]
        a new key, keeping what the old one vouched for (server.key_rotation; docs/keys.md)

With ``--demo --lab-manifest`` the server records every demo camera unless IOCWALL_RECORD=0.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.tls import SiteTls

log = logging.getLogger("iocwall.server")

IOC_UNIT_NAME = "Văn phòng HĐND-UBND thành phố (Trung tâm IOC)"
NOT_INITIALISED = 2  # exit status: serve on a data dir that init has not made a site


def _parser() -> argparse.ArgumentParser:
    # no abbreviations: "--admin-password SECRET" must not pass for --admin-password-file
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     allow_abbrev=False)
    parser.add_argument("--data-dir", type=Path,
                        help="the site's data dir (default: IOCWALL_DATA_DIR, or the user's "
                             "data dir)")
    parser.add_argument("--demo", action="store_true", help="seed the demo organisation")
    parser.add_argument("--lab-manifest", type=Path, help="lab.json with the demo cameras")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--insecure-loopback", action="store_true",
                        help="development only: plain HTTP on a loopback address (refused on "
                             "any other)")
    commands = parser.add_subparsers(dest="command")
    init = commands.add_parser("init", allow_abbrev=False, help="initialise a new site: database, keys, the "
                                            "operating unit and the first administrator")
    init.add_argument("--data-dir", type=Path, required=True, dest="init_data_dir")
    init.add_argument("--admin-username", required=True)
    init.add_argument("--admin-full-name", default="Quản trị hệ thống")
    init.add_argument("--admin-password-file", type=Path,
                      help="a file whose first line is the password (else asked twice)")
    init.add_argument("--unit-name", default=IOC_UNIT_NAME,
                      help="the operating unit's name (the IOC)")
    _tls_arguments(init)
    tls_cmd = commands.add_parser("tls", allow_abbrev=False,
                                  help="make the certificates of a site initialised without")
    _tls_arguments(tls_cmd)
    commands.add_parser("tls-fingerprint", help="print the site CA's SHA-256 fingerprint")
    gateway_cert = commands.add_parser("gateway-cert", allow_abbrev=False,
                                       help="a remote gateway's certificate from the site CA")
    gateway_cert.add_argument("name")
    gateway_cert.add_argument("--host", action="append", required=True, dest="gateway_hosts",
                              help="a name or address viewers and the backend dial it by "
                                   "(repeat for each)")
    gateway_cert.add_argument("--out", type=Path, required=True,
                              help="where gateway.crt, gateway.key and ca.crt are written")
    commands.add_parser("migrate", help="bring the database (IOCWALL_DATABASE_URL) to the "
                                        "newest schema revision and exit")
    audit_cmd = commands.add_parser("audit", help="audit log tools")
    audit_sub = audit_cmd.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the hash chain; non-zero exit if broken")
    commands.add_parser("permissions-doc", help="print docs/permissions.md from the rules")
    commands.add_parser("gateway-token-key", help="print the stream token public key (base64), "
                                                  "a gateway configuration's token_keys entry")
    clip_cmd = commands.add_parser("clip", help="evidence clip tools")
    clip_sub = clip_cmd.add_subparsers(dest="clip_command", required=True)
    verify = clip_sub.add_parser("verify", help="check a clip against its signed manifest")
    verify.add_argument("file", type=Path)
    verify.add_argument("manifest", type=Path)
    verify.add_argument("--public-key", type=Path,
                        help="PEM public key (GET /api/v1/keys); default: this server's key")
    backup_cmd = commands.add_parser("backup", allow_abbrev=False,
                                     help="the database, keys and settings into a new folder")
    backup_cmd.add_argument("--to", type=Path, required=True, dest="backup_to")
    backup_cmd.add_argument("--data-dir", type=Path, dest="site_data_dir")
    backup_cmd.add_argument("--settings-file", type=Path,
                            help="the site's settings (e.g. /etc/iocwall/server.env)")
    restore_cmd = commands.add_parser("restore", allow_abbrev=False,
                                      help="a backup into a new data dir and empty database")
    restore_cmd.add_argument("--from", type=Path, required=True, dest="restore_from")
    restore_cmd.add_argument("--data-dir", type=Path, dest="site_data_dir")
    restore_cmd.add_argument("--settings-file", type=Path,
                             help="where the settings file goes (default: where it was)")
    restore_cmd.add_argument("--force", action="store_true",
                             help="replace the keys of a data dir that is already a site")
    restore_cmd.add_argument("--strict", action="store_true",
                             help="fail when a referenced recording or clip is missing")
    rotate_cmd = commands.add_parser("rotate-keys", allow_abbrev=False,
                                     help="a new key for evidence, tokens or credentials")
    which = rotate_cmd.add_mutually_exclusive_group(required=True)
    for name in ("evidence", "token", "credentials"):
        which.add_argument(f"--{name}", action="store_const", const=name, dest="rotate_key")
    rotate_cmd.add_argument("--data-dir", type=Path, dest="site_data_dir")
    return parser


def _tls_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tls-host", action="append", default=[],
                        help="a host name or address workstations reach the backend by, for "
                             "its certificate (repeat for each; loopback is always in)")
    parser.add_argument("--tls-ca-cert", type=Path, help="the site's own CA certificate (PEM)")
    parser.add_argument("--tls-cert", type=Path,
                        help="the backend's certificate from that CA (PEM)")
    parser.add_argument("--tls-key", type=Path, help="its unencrypted private key (PEM)")


def main(argv: Sequence[str] | None = None) -> int:
    from server.config import PRIVATE_UMASK

    os.umask(PRIVATE_UMASK)  # everything the server and its ffmpeg children write: 0600 / 0700
    args = _parser().parse_args(argv)
    quiet = args.command is not None  # tools print their result; keep library chatter out
    logging.basicConfig(level="WARNING" if quiet else args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "permissions-doc":
        from server.permissions import render_markdown

        sys.stdout.write(render_markdown())
        return 0
    if args.command == "init":
        return _init(args)
    if args.command == "tls":
        return _tls_only(args)
    if args.command == "tls-fingerprint":
        return _tls_fingerprint(args)
    if args.command == "gateway-cert":
        return _gateway_cert(args)
    if args.command == "migrate":
        return _migrate()
    if args.command == "gateway-token-key":
        return _gateway_token_key()
    if args.command == "audit":
        return _audit_verify()
    if args.command == "clip":
        return _clip_verify(args.file, args.manifest, args.public_key)
    if args.command in ("backup", "restore"):
        return _backup_or_restore(args)
    if args.command == "rotate-keys":
        return _rotate_keys(args)
    return _serve(args)


def _migrate() -> int:
    from alembic.script import ScriptDirectory

    from server.config import Settings
    from server.db import alembic_config, migrate

    settings = Settings.from_env()
    migrate(settings.database_url)
    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    print(f"OK: the database is at revision {head}")
    return 0


def _gateway_token_key() -> int:
    from server.config import Settings
    from server.stream_sessions import load_or_create_token_key, public_key_base64

    # created here if the backend has not run yet: the one it will sign with
    key = load_or_create_token_key(Settings.from_env().stream_token_key_file)
    print(public_key_base64(key))
    return 0


def _audit_verify() -> int:
    from sqlalchemy import inspect

    from server import audit_anchors
    from server.config import Settings
    from server.db import make_engine, make_sessionmaker

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        if not inspect(engine).has_table("audit_log"):
            print("BROKEN: no audit log in this database (not migrated?)")
            return 2
        with make_sessionmaker(engine)() as session:
            result = audit_anchors.verify(session, settings)
    finally:
        engine.dispose()
    if result.ok:
        print(f"OK: {result.rows} rows, chain intact")
        return 0
    print(f"BROKEN at row {result.broken_id}: {result.reason} ({result.rows} rows intact before)")
    return 1


def _clip_verify(clip: Path, manifest: Path, public_key_file: Path | None) -> int:
    from common.evidence import Verdict
    from server.config import Settings
    from server.key_ring import all_keys
    from server.signing import load_public_key, verify_clip

    key_file = public_key_file or Settings.from_env().signing_key_file
    try:
        if public_key_file is not None:
            public_keys = [load_public_key(key_file.read_bytes())]
        else:  # this server's keys: the current one and every retired one
            public_keys = [k.public_key for k in all_keys(key_file)]
    except (OSError, ValueError) as exc:
        print(f"signature invalid: cannot load the public key {key_file} ({exc})")
        return int(Verdict.SIGNATURE_INVALID)
    result = verify_clip(clip, manifest, public_keys)
    print(result.message)
    return int(result.verdict)


def _site_settings(args: argparse.Namespace) -> Any:
    from server.config import Settings

    data_dir = args.site_data_dir or args.data_dir
    return Settings.from_env(**({"data_dir": data_dir} if data_dir else {}))


def _backup_or_restore(args: argparse.Namespace) -> int:
    from server import backup

    settings = _site_settings(args)
    if args.command == "backup":
        try:
            manifest = backup.backup(settings, args.backup_to, settings_file=args.settings_file)
        except (backup.BackupError, OSError) as err:
            print(f"backup: {err}; no backup was written", file=sys.stderr)
            return 1
        print(f"OK: backup of {settings.data_dir} in {args.backup_to} ({len(manifest['files'])} "
              f"files, audit row {manifest['audit_tip']['last_id']}, "
              f"{len(manifest['references'])} recordings and clips by reference)")
        return 0
    try:
        restored = backup.restore(settings, args.restore_from,
                                  settings_target=args.settings_file, force=args.force)
    except backup.RestoreRefused as err:
        print(f"restore refused: {err}", file=sys.stderr)
        return 1
    except (backup.RestoreFailed, backup.BackupError, OSError) as err:
        print(f"restore failed: {err}", file=sys.stderr)
        return 1
    for line in restored.missing:
        print(f"WARNING: {line}", file=sys.stderr)
    print(f"OK: restored into {settings.data_dir}; {len(restored.missing)} referenced file(s) "
          "missing or changed")
    return 1 if args.strict and restored.missing else 0


def _rotate_keys(args: argparse.Namespace) -> int:
    from server import key_rotation
    from server.main import utc_now

    settings = _site_settings(args)
    rotation = {"evidence": key_rotation.rotate_evidence, "token": key_rotation.rotate_token,
                "credentials": key_rotation.rotate_credentials}[args.rotate_key]
    try:
        rotated = rotation(settings, utc_now())
    except key_rotation.RotationRefused as err:
        print(f"rotate-keys: {err}", file=sys.stderr)
        return 1
    print(f"OK: {rotated.key} key {rotated.retired} retired, {rotated.current} in use"
          + (f"; {rotated.resealed} camera password(s) re-sealed" if rotated.resealed else ""))
    for line in rotated.todo:
        print(f"TODO: {line}", file=sys.stderr)
    return 0


def _read_password(path: Path | None) -> str | None:
    """The first administrator's password: a file's first line, or typed twice (no echo).
    Never an argument: the command line is readable by every user of the machine."""
    import getpass

    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"init: cannot read the password file {path}: {exc}", file=sys.stderr)
            return None
        return lines[0] if lines else ""
    first = getpass.getpass("Password of the first administrator: ")
    if getpass.getpass("The same password again: ") != first:
        print("init: the two passwords differ; nothing was done", file=sys.stderr)
        return None
    return first


def _data_dir(args: argparse.Namespace) -> Path:
    from server.config import Settings

    return Settings.from_env(**({"data_dir": args.data_dir} if args.data_dir else {})).data_dir


def _make_tls(data_dir: Path, args: argparse.Namespace, site_name: str) -> str | None:
    """The site's ``tls/`` (new CA, or imported); an error message, or None when done."""
    from server import tls

    own = (args.tls_ca_cert, args.tls_cert, args.tls_key)
    try:
        if any(part is not None for part in own):
            if not all(part is not None for part in own):
                return "--tls-ca-cert, --tls-cert and --tls-key go together"
            tls.import_site(data_dir, *own)
        elif tls.site_tls(data_dir).can_issue() and not tls.site_tls(data_dir).cert.exists():
            # the CA stays (workstations pinned it): a new backend certificate from it, for
            # renewal or other names
            site = tls.site_tls(data_dir)
            tls.issue(site, "iocwall backend", tls.host_names(args.tls_host), site.cert, site.key)
        else:
            tls.create_site(data_dir, site_name, args.tls_host)
    except tls.TlsError as err:
        return str(err)
    return None


def _tls_only(args: argparse.Namespace) -> int:
    from server import tls
    from server.config import prepare_private_dir

    data_dir = _data_dir(args)
    prepare_private_dir(data_dir)
    problem = _make_tls(data_dir, args, IOC_UNIT_NAME)
    if problem:
        print(f"tls: {problem}; nothing was done", file=sys.stderr)
        return 1
    print(f"OK: certificates in {tls.site_tls(data_dir).folder}; CA fingerprint (SHA-256) "
          f"{tls.site_tls(data_dir).fingerprint()}")
    return 0


def _tls_fingerprint(args: argparse.Namespace) -> int:
    from server import tls

    site = tls.site_tls(_data_dir(args))
    if not site.ca_cert.is_file():
        print(f"no site CA in {site.folder}: run python -m server tls", file=sys.stderr)
        return 1
    print(site.fingerprint())
    return 0


def _gateway_cert(args: argparse.Namespace) -> int:
    from server import tls

    site = tls.site_tls(_data_dir(args))
    try:
        cert, key = tls.gateway_cert(site, args.name, args.gateway_hosts, args.out)
    except tls.TlsError as err:
        print(f"gateway-cert: {err}", file=sys.stderr)
        return 1
    print(f"OK: {cert}, {key} and {args.out / 'ca.crt'}: copy them to the gateway (key "
          "readable by its user only) and name them in its configuration's \"tls\"")
    return 0


def _init(args: argparse.Namespace) -> int:
    """A new site: the schema (Alembic), the keys the server would make at its first start,
    the site row, the operating unit (the IOC) and its first administrator. No demo data."""
    from sqlalchemy.exc import IntegrityError

    from server import admin, audit
    from server.config import Settings, prepare_private_dir
    from server.db import make_engine, make_sessionmaker, migrate
    from server.main import utc_now
    from server.password_policy import password_problem
    from server.permissions import Role, UnitKind
    from server.security import Passwords, SecretBox
    from server.signing import load_or_create_signing_key
    from server.site import initialised, mark_initialised
    from server.stream_sessions import load_or_create_token_key

    settings = Settings.from_env(data_dir=args.init_data_dir)
    password = _read_password(args.admin_password_file)
    if password is None:
        return NOT_INITIALISED
    problem = password_problem(password, username=args.admin_username)
    if problem:
        print(f"init: the password {problem}; nothing was done", file=sys.stderr)
        return NOT_INITIALISED
    prepare_private_dir(settings.data_dir)
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        if initialised(engine):
            print(f"init: {settings.data_dir} is already an initialised site; nothing was done",
                  file=sys.stderr)
            return 1
        # the keys the server makes at its first start, made now so a backup taken after init
        # holds them
        SecretBox.from_settings(settings)
        load_or_create_signing_key(settings.signing_key_file)
        load_or_create_token_key(settings.stream_token_key_file)
        problem = _make_tls(settings.data_dir, args, args.unit_name)
        if problem:
            print(f"init: {problem}; nothing was done", file=sys.stderr)
            return NOT_INITIALISED
        now = utc_now()
        with make_sessionmaker(engine)() as session:
            try:
                mark_initialised(session, now, demo=False)
                unit = admin.create_unit(session, admin.SYSTEM, now, name=args.unit_name,
                                         kind=UnitKind.OPERATING_UNIT, ward_id=None)
                user = admin.create_user(session, Passwords(settings), admin.SYSTEM, now,
                                         username=args.admin_username,
                                         full_name=args.admin_full_name, unit_id=unit.id,
                                         role=Role.ADMIN, password=password,
                                         must_change_password=False)
                audit.append(session, "site_init", now=now, username="system",
                             detail={"unit_id": unit.id, "admin_user_id": user.id,
                                     "admin_username": user.username})
                session.commit()
            except admin.Refused as err:
                print(f"init: {err}; nothing was done", file=sys.stderr)
                return NOT_INITIALISED
            except IntegrityError:  # another init won the race
                print("init: the site was initialised meanwhile; nothing was done",
                      file=sys.stderr)
                return 1
    finally:
        engine.dispose()
    from server.tls import site_tls

    print(f"OK: site initialised in {settings.data_dir}; administrator {args.admin_username}. "
          f"Serve it with: python -m server --data-dir {settings.data_dir}\n"
          f"Site CA fingerprint (SHA-256), for operators to compare at first login: "
          f"{site_tls(settings.data_dir).fingerprint()}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.config import Settings, prepare_private_dir
    from server.db import make_engine, migrate
    from server.demo import read_manifest, seed_demo
    from server.main import create_app, utc_now
    from server.site import SiteMismatch, initialised

    settings = Settings.from_env(**({"data_dir": args.data_dir} if args.data_dir else {}))
    if args.demo and args.lab_manifest is not None and not os.environ.get("IOCWALL_RECORD"):
        settings = settings.model_copy(update={"record": True})
    prepare_private_dir(settings.data_dir)
    migrate(settings.database_url)
    if not args.demo:
        engine = make_engine(settings.database_url)
        try:
            ready = initialised(engine)
        finally:
            engine.dispose()
        if not ready:
            print(f"{settings.data_dir} is not an initialised site. Initialise it first:\n"
                  f"    python -m server init --data-dir {settings.data_dir} "
                  "--admin-username NAME [--admin-password-file FILE]\n"
                  "or run the demo: python -m server --demo", file=sys.stderr)
            return NOT_INITIALISED
    transport = _transport(args, settings.data_dir)
    if isinstance(transport, str):  # why not
        print(transport, file=sys.stderr)
        return NOT_INITIALISED
    if transport is None:
        settings = settings.model_copy(update={"insecure_loopback": True})
    app = create_app(settings)
    if args.lab_manifest is not None and not args.demo:
        log.warning("--lab-manifest is only used with --demo")
    if args.demo:
        runtime = app.state.runtime
        manifest = read_manifest(args.lab_manifest) if args.lab_manifest else None
        with runtime.sessions() as session:
            try:
                seed_demo(session, runtime.passwords, runtime.secrets, utc_now(), manifest,
                          settings)
            except SiteMismatch as err:
                print(f"--demo: {err}", file=sys.stderr)
                return NOT_INITIALISED
    scheme = "https" if transport is not None else "http"
    log.info("Serving on %s://%s:%d/api/v1", scheme, args.host, args.port)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                ssl_certfile=str(transport.cert) if transport is not None else None,
                ssl_keyfile=str(transport.key) if transport is not None else None)
    return 0


def _transport(args: argparse.Namespace, data_dir: Path) -> SiteTls | None | str:
    """The certificates to serve with (None: plain HTTP, only on loopback when asked), or why
    the server must not start. The demo makes its certificates as ``init`` does."""
    import ipaddress

    from server import tls

    site = tls.site_tls(data_dir)
    if args.insecure_loopback:
        try:
            loopback = ipaddress.ip_address(args.host).is_loopback
        except ValueError:
            loopback = args.host == "localhost"
        if not loopback:
            return (f"--insecure-loopback: {args.host} is not a loopback address; plain HTTP "
                    "would carry passwords and tokens in clear on the network")
        return None
    if args.demo:
        tls.ensure_site(data_dir, "iocwall demo", [args.host])
    if not site.exists():
        return (f"{site.folder} holds no certificates: make them with\n"
                f"    python -m server --data-dir {data_dir} tls [--tls-host NAME]\n"
                "(or --insecure-loopback on 127.0.0.1 for development)")
    return site


if __name__ == "__main__":
    sys.exit(main())
