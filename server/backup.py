"""``python -m server backup`` / ``restore``: a site's database, keys and settings in one folder.

A backup is a folder (mode 0700) holding:
- ``database/iocwall.db`` (SQLite, copied by SQLite's online backup API: consistent while the
  server writes) or ``database/iocwall.dump`` (PostgreSQL, ``pg_dump -Fc`` in the snapshot the
  rest of the backup reads, so the audit tip and the references are of the same moment);
- ``data/…``: every key file of the data dir (mode 0600), their key rings and the working
  calendar, at their paths relative to the data dir;
- ``settings/server.env``: the site's settings file when it has one (``--settings-file``);
- ``manifest.json``: format, creation time (UTC), server version, the SHA-256 and size of every
  file above, the audit chain's tip (last row id and its hash, recomputed as ``server.audit``
  does: the chain is hash-linked, not signed), and the recordings, clips and letters **by
  reference**: their paths relative to their storage, with size (and SHA-256 for evidence),
  not copied — they are too big, and kept where they are (docs/administration.md, Backups).

It is built in ``DIR/.partial`` and renamed to ``DIR`` at the end: a failed backup leaves no
half backup. ``restore`` checks every file against the manifest, refuses an initialised target
(unless ``force``) or a database that is not empty, then writes the keys, the settings and the
database, moves the stored paths to the new data dir, and reports which referenced files are
missing (:attr:`Restored.missing`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    create_engine,
    func,
    inspect,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url

from common.evidence import sha256_file
from common.files import fsync_dir
from server import audit
from server.audit_anchors import anchors_file
from server.config import Settings, prepare_private_dir
from server.db import engine_url, make_engine, make_sessionmaker
from server.gateways import KEY_FILE
from server.key_ring import ring_file
from server.models import (
    AccessRequest,
    AuditHead,
    AuditLog,
    ClipRequest,
    IncidentReport,
    RecordingSegment,
)
from server.site import initialised

log = logging.getLogger("iocwall.server.backup")

FORMAT = "iocwall-backup/1"
MANIFEST = "manifest.json"
PARTIAL = ".partial"
SETTINGS_COPY = "settings/server.env"


class BackupError(RuntimeError):
    """The backup could not be made; nothing was left behind."""


class RestoreRefused(RuntimeError):
    """The restore did not start (a file altered, the target in use); nothing was written."""


class RestoreFailed(RuntimeError):
    """The restore started and could not end (the database refused the dump, or it does not
    end where the backup said): the target is to be wiped before another attempt."""


def server_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("iocwall")
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
        except (OSError, KeyError, ValueError):
            return "unknown"


def site_files(settings: Settings) -> list[Path]:
    """What of the data dir a backup copies: every key, its ring, the working calendar, and the
    audit anchors kept outside the database (a restored chain is checked against them)."""
    keys = [settings.secret_key_file, settings.signing_key_file, settings.stream_token_key_file,
            settings.gateway_dir / KEY_FILE]
    return [*keys, ring_file(settings.signing_key_file),
            ring_file(settings.stream_token_key_file), settings.calendar_file,
            anchors_file(settings)]


def _dialect(database_url: str) -> str:
    return "postgresql" if make_url(database_url).get_backend_name() == "postgresql" else "sqlite"


def _sqlite_file(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL as pg_dump / pg_restore take it, and the environment carrying its password
    (never on their command line: every user of the machine reads that)."""
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False), env


# -- what a database says of itself ----------------------------------------------------------

def audit_tip(conn: Connection) -> dict[str, Any]:
    """The chain's last row id and hash; the hash recomputed from the row as the audit module
    does, so that a tip not matching its row is refused now, not found after a restore."""
    head = conn.execute(select(AuditHead.last_id, AuditHead.last_hash)
                        .where(AuditHead.id == 1)).one_or_none()
    if head is None or head.last_id == 0:
        return {"last_id": 0, "hash": audit.GENESIS_HASH}
    row = conn.execute(select(AuditLog).where(AuditLog.id == head.last_id)).one()
    content = audit.row_content(id=row.id, ts=row.ts, event=row.event, user_id=row.user_id,
                                username=row.username, camera_id=row.camera_id,
                                detail=row.detail)
    computed = audit.chain_hash(row.prev_hash, content)
    if computed != row.hash or computed != head.last_hash:
        raise BackupError(f"the audit chain's tip (row {row.id}) does not match its hash: run "
                          "`python -m server audit verify`")
    return {"last_id": int(row.id), "hash": computed}


@dataclass(frozen=True)
class Reference:
    """A file the database points at, kept outside the backup."""

    kind: str  # recording, clip, manifest, letter, incident
    storage: str  # "data" (the data dir) or "recordings" (the recordings root)
    path: str  # relative to the storage
    size: int | None
    sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "storage": self.storage, "path": self.path,
                "size": self.size, "sha256": self.sha256}


def _relative(path: str, roots: dict[str, Path]) -> tuple[str, str] | None:
    for storage, root in roots.items():
        try:
            return storage, str(Path(path).relative_to(root))
        except ValueError:
            continue
    return None


def references(conn: Connection, settings: Settings) -> tuple[list[Reference], list[str]]:
    """The recordings (size: segments are many and large) and the evidence (size and SHA-256)
    the database points at, relative to their storage; and the paths outside both storages
    (listed by the report, not relocatable)."""
    roots = {"recordings": settings.recordings_root, "data": settings.data_dir}
    found: list[Reference] = []
    outside: list[str] = []

    def add(kind: str, path: str | None, size: int | None, sha: str | None) -> None:
        if path is None:
            return
        where = _relative(path, roots)
        if where is None:
            outside.append(path)
            return
        if size is None or (sha is None and kind != "recording"):
            try:  # what the database does not say, read from the file now
                size = size if size is not None else Path(path).stat().st_size
                sha = sha if sha is not None or kind == "recording" else sha256_file(Path(path))
            except OSError:
                pass
        found.append(Reference(kind, where[0], where[1], size, sha))

    for seg in conn.execute(select(RecordingSegment.path, RecordingSegment.size_bytes)):
        add("recording", seg.path, seg.size_bytes, None)
    for clip in conn.execute(select(ClipRequest.clip_path, ClipRequest.clip_size,
                                    ClipRequest.clip_sha256, ClipRequest.manifest_path,
                                    ClipRequest.letter_path, ClipRequest.letter_sha256)):
        add("clip", clip.clip_path, clip.clip_size, clip.clip_sha256)
        add("manifest", clip.manifest_path, None, None)
        add("letter", clip.letter_path, None, clip.letter_sha256)
    for letter in conn.execute(select(AccessRequest.letter_path)):
        add("letter", letter.letter_path, None, None)
    for report in conn.execute(select(IncidentReport.snapshot_path)):
        add("incident", report.snapshot_path, None, None)
    return found, outside


# -- backup ----------------------------------------------------------------------------------

def _copy_private(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())


@contextmanager
def _snapshot(settings: Settings, partial: Path) -> Iterator[tuple[Connection, str]]:
    """The database copied into ``partial/database``, and a connection that reads the same
    moment the copy holds; the copy's name in the backup."""
    target_dir = partial / "database"
    target_dir.mkdir(mode=0o700)
    if _dialect(settings.database_url) == "sqlite":
        source = _sqlite_file(settings.database_url)
        if not source.exists():
            raise BackupError(f"no database at {source}")
        target = target_dir / "iocwall.db"
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # page by page, restarted when the server writes meanwhile
        finally:
            dst.close()
            src.close()
        os.chmod(target, 0o600)
        engine = create_engine(f"sqlite:///file:{target}?mode=ro&uri=true")
        try:
            with engine.connect() as conn:
                yield conn, "database/iocwall.db"
        finally:
            engine.dispose()
        return
    engine = make_engine(settings.database_url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            conn.begin()
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            target = target_dir / "iocwall.dump"
            uri, env = _libpq(settings.database_url)
            done = subprocess.run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f",
                                   str(target), "-d", uri], env=env, capture_output=True,
                                  text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[-400:]}")
            os.chmod(target, 0o600)
            yield conn, "database/iocwall.dump"
    finally:
        engine.dispose()


def _file_entry(path: Path) -> dict[str, Any]:
    return {"sha256": sha256_file(path), "size": path.stat().st_size}


def backup(settings: Settings, destination: Path, *, settings_file: Path | None = None,
           now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> dict[str, Any]:
    """Write the backup to ``destination`` (which must not exist); its manifest."""
    if destination.exists():
        raise BackupError(f"{destination} exists: a backup goes to a new folder")
    if settings_file is not None and not settings_file.is_file():
        raise BackupError(f"no settings file at {settings_file}")
    partial = destination.with_name(destination.name + PARTIAL)
    if partial.exists():
        shutil.rmtree(partial)  # what a failed backup left
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)
    try:
        files: dict[str, dict[str, Any]] = {}
        with _snapshot(settings, partial) as (conn, database_name):
            tip = audit_tip(conn)
            refs, outside = references(conn, settings)
            files[database_name] = _file_entry(partial / database_name)
        for source in site_files(settings):
            if source.exists():
                name = f"data/{source.relative_to(settings.data_dir)}"
                _copy_private(source, partial / name)
                files[name] = _file_entry(partial / name)
        if settings_file is not None:
            _copy_private(settings_file, partial / SETTINGS_COPY)
            files[SETTINGS_COPY] = _file_entry(partial / SETTINGS_COPY)
        manifest = {
            "format": FORMAT, "created_at": now().astimezone(UTC).isoformat(),
            "server_version": server_version(),
            "database": {"dialect": _dialect(settings.database_url), "file": database_name},
            "data_dir": str(settings.data_dir), "recordings_root": str(settings.recordings_root),
            "settings_file": str(settings_file) if settings_file is not None else None,
            "audit_tip": tip, "files": files,
            "references": [r.to_json() for r in refs], "outside_storage": outside,
        }
        fd = os.open(partial / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(manifest, out, indent=1, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        fsync_dir(partial)
        os.rename(partial, destination)
        fsync_dir(destination.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


# -- restore ---------------------------------------------------------------------------------

@dataclass
class Restored:
    manifest: dict[str, Any]
    missing: list[str] = field(default_factory=list)  # referenced, absent or not as recorded


def read_checked(source: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is there with its size and SHA-256;
    :class:`RestoreRefused` naming the first that is not."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"{source / MANIFEST}: unreadable ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{source / MANIFEST}: not an {FORMAT} backup")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.resolve().is_relative_to(source.resolve()):
            raise RestoreRefused(f"{name}: outside the backup")
        if not path.is_file():
            raise RestoreRefused(f"{name}: missing from the backup")
        if path.stat().st_size != expected["size"] or sha256_file(path) != expected["sha256"]:
            raise RestoreRefused(f"{name}: its SHA-256 does not match the manifest (altered "
                                 "or damaged): nothing was restored")
    return dict(manifest)


def _database_empty(settings: Settings) -> bool:
    if _dialect(settings.database_url) == "sqlite":
        path = _sqlite_file(settings.database_url)
        if not path.exists() or path.stat().st_size == 0:
            return True
    engine = create_engine(engine_url(settings.database_url))
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _refusal(settings: Settings, manifest: dict[str, Any], settings_target: Path | None,
             force: bool) -> str | None:
    """Why the target cannot take the backup (None: it can)."""
    target_dialect = _dialect(settings.database_url)
    if manifest["database"]["dialect"] != target_dialect:
        return (f"the backup holds a {manifest['database']['dialect']} database and the target "
                f"is {target_dialect} ({make_url(settings.database_url).render_as_string()})")
    present = [p for p in site_files(settings) if p.exists()]
    site_db = (target_dialect == "sqlite"
               and _sqlite_file(settings.database_url).is_relative_to(settings.data_dir))
    if not force:
        if present:
            return (f"{settings.data_dir} is already a site (it has {present[0].name}); "
                    "restore into a new data dir, or --force to replace it")
        if settings_target is not None and settings_target.exists():
            return f"{settings_target} exists; --force to replace it"
    if not _database_empty(settings) and not (force and site_db):
        engine = make_engine(settings.database_url)
        try:
            what = "an initialised site" if initialised(engine) else "not empty"
        finally:
            engine.dispose()
        return (f"the database {make_url(settings.database_url).render_as_string()} is {what}: "
                "restore into an empty database (drop and create it first)")
    return None


def _write_private(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                     delete=False) as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(out.name, 0o600)
    os.replace(out.name, target)


def _restore_database(settings: Settings, dump: Path) -> None:
    if _dialect(settings.database_url) == "sqlite":
        target = _sqlite_file(settings.database_url)
        for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            stale.unlink(missing_ok=True)  # --force over a site: its journal is not ours
        _write_private(dump, target)
        return
    uri, env = _libpq(settings.database_url)
    done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", uri, str(dump)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RestoreFailed(f"pg_restore failed: {done.stderr.strip()[-400:]}")


def _relocate(conn: Connection, manifest: dict[str, Any], settings: Settings) -> None:
    """The stored paths under the old data dir (and recordings root) moved to the new ones."""
    moves = [(manifest["recordings_root"], str(settings.recordings_root)),
             (manifest["data_dir"], str(settings.data_dir))]
    columns = [(RecordingSegment, "path"), (RecordingSegment, "storage_root"),
               (ClipRequest, "clip_path"), (ClipRequest, "manifest_path"),
               (ClipRequest, "letter_path"), (AccessRequest, "letter_path"),
               (IncidentReport, "snapshot_path")]
    for old, new in moves:
        if old == new:
            continue
        for model, name in columns:
            column = getattr(model, name)
            # the prefix exactly, or followed by a separator: /data-2 is not under /data
            under = (column == old) | (func.substr(column, 1, len(old) + 1) == old + os.sep)
            conn.execute(update(model).where(under).values(
                {name: literal(new, String).concat(func.substr(column, len(old) + 1))}))


def check_references(manifest: dict[str, Any], settings: Settings) -> list[str]:
    """What the backup references and the storages do not hold as recorded."""
    roots = {"recordings": settings.recordings_root, "data": settings.data_dir}
    missing = []
    for ref in manifest["references"]:
        path = roots[ref["storage"]] / ref["path"]
        try:
            size = path.stat().st_size
        except OSError:
            missing.append(f"{ref['kind']} {path}: missing")
            continue
        if ref["size"] is not None and size != ref["size"]:
            missing.append(f"{ref['kind']} {path}: {size} bytes, {ref['size']} recorded")
        elif ref.get("sha256") and sha256_file(path) != ref["sha256"]:
            missing.append(f"{ref['kind']} {path}: its SHA-256 differs from the recorded one")
    missing += [f"outside the storages, not checked: {p}" for p in manifest["outside_storage"]]
    return missing


def restore(settings: Settings, source: Path, *, settings_target: Path | None = None,
            force: bool = False,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Restored:
    """Restore ``source`` into ``settings``' data dir and database (see the module).
    ``settings_target``: where the backup's settings file goes (default: where it was)."""
    manifest = read_checked(source)
    if settings_target is None and manifest.get("settings_file"):
        settings_target = Path(manifest["settings_file"])
    problem = _refusal(settings, manifest, settings_target, force)
    if problem is not None:
        raise RestoreRefused(problem)
    prepare_private_dir(settings.data_dir)
    for name in manifest["files"]:
        if name.startswith("data/"):
            _write_private(source / name, settings.data_dir / name.removeprefix("data/"))
    if settings_target is not None and SETTINGS_COPY in manifest["files"]:
        _write_private(source / SETTINGS_COPY, settings_target)
    _restore_database(settings, source / manifest["database"]["file"])
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            tip = audit_tip(conn)
            if tip != manifest["audit_tip"]:
                raise RestoreFailed(f"the restored audit chain ends at {tip}, the backup "
                                     f"recorded {manifest['audit_tip']}")
            _relocate(conn, manifest, settings)
        with make_sessionmaker(engine)() as session:
            audit.append(session, "site_restore", now=now(), username="system",
                         detail={"backup_created_at": manifest["created_at"],
                                 "backup_server_version": manifest["server_version"],
                                 "audit_tip": manifest["audit_tip"]["last_id"]})
            session.commit()
    finally:
        engine.dispose()
    return Restored(manifest, check_references(manifest, settings))
