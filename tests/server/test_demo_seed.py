"""``--demo`` seeding: the organisation, camera placement, idempotence, manifest updates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, inspect, select, text

from server.demo import USERS, read_manifest, seed_demo
from server.main import create_app
from server.models import Camera
from tests.server.conftest import START, MovableClock, camera_entry, make_settings, write_manifest


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    tables = inspect(engine).get_table_names()
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
                for t in tables}


def _app(new_database: Callable[..., str], migrated_template: str,  # type: ignore[no-untyped-def]
         tmp_path: Path):
    url = new_database(tmp_path, migrated_template)
    return create_app(make_settings(tmp_path, url), clock=MovableClock())


def test_seeding_twice_yields_the_same_rows(new_database: Callable[..., str],
                                            migrated_template: str, manifest_path: Path,
                                            tmp_path: Path) -> None:
    runtime = _app(new_database, migrated_template, tmp_path).state.runtime
    manifest = read_manifest(manifest_path)
    with runtime.sessions() as session:
        first = seed_demo(session, runtime.passwords, runtime.secrets, START, manifest)
    before = _dump(runtime.engine)
    with runtime.sessions() as session:
        second = seed_demo(session, runtime.passwords, runtime.secrets,
                           START + timedelta(hours=1), manifest)
    after = _dump(runtime.engine)
    runtime.engine.dispose()
    assert first.created == 3 + 11 + len(USERS) + 8
    assert (second.created, second.updated) == (0, 0)
    assert before == after
    assert len(after["wards"]) == 3 and len(after["units"]) == 11
    assert len(after["users"]) == len(USERS) and len(after["cameras"]) == 8


def test_reseeding_with_new_ports_updates_cameras_in_place(new_database: Callable[..., str],
                                                           migrated_template: str,
                                                           manifest_path: Path,
                                                           tmp_path: Path) -> None:
    runtime = _app(new_database, migrated_template, tmp_path).state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, START,
                  read_manifest(manifest_path))
        ids = dict(session.execute(select(Camera.name, Camera.id)).all())
    moved = write_manifest(tmp_path / "lab2.json", rtsp_port=9554, onvif_base=9800)
    with runtime.sessions() as session:
        report = seed_demo(session, runtime.passwords, runtime.secrets, START, read_manifest(moved))
        cameras = session.execute(select(Camera)).scalars().all()
        assert report.created == 0 and report.updated == 8
        assert dict((c.name, c.id) for c in cameras) == ids  # same rows, same ids
        for camera in cameras:
            index = int(camera.external_id.split(":")[1])  # type: ignore[union-attr]
            entry = camera_entry(index, rtsp_port=9554, onvif_base=9800)
            assert camera.main_url == entry["main_url"]
            assert runtime.secrets.decrypt(camera.onvif_port_enc) == (
                str(entry["onvif_port"]) if entry["onvif_port"] else None)
            # no gateway: no key to seal to, and no other way to keep a password
            assert camera.rtsp_password_sealed is None and camera.onvif_password_sealed is None
    runtime.engine.dispose()


def test_placement_covers_every_ward_and_dong_phu_has_all_systems(
    new_database: Callable[..., str], migrated_template: str, manifest_path: Path, tmp_path: Path
) -> None:
    runtime = _app(new_database, migrated_template, tmp_path).state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, START,
                  read_manifest(manifest_path))
        cameras = session.execute(select(Camera)).scalars().all()
        by_ward: dict[str, list[Camera]] = {}
        for camera in cameras:
            by_ward.setdefault(camera.ward.name, []).append(camera)
        assert set(by_ward) == {"Đồng Phú", "Hải Thành", "Bắc Lý"}
        dong_phu = by_ward["Đồng Phú"]
        assert len(dong_phu) >= 4
        assert {c.system for c in dong_phu} == {"smart_city", "public", "traffic"}
        assert {c.external_id for c in dong_phu} >= {f"lab:{i}" for i in range(4)}
        for camera in cameras:
            index = int(camera.external_id.split(":")[1])  # type: ignore[union-attr]
            assert camera.ptz == (index % 3 == 0)
            assert (camera.onvif_host_enc is not None) == camera.ptz
    runtime.engine.dispose()


def test_without_manifest_only_the_organisation(new_database: Callable[..., str],
                                                migrated_template: str, tmp_path: Path) -> None:
    runtime = _app(new_database, migrated_template, tmp_path).state.runtime
    with runtime.sessions() as session:
        report = seed_demo(session, runtime.passwords, runtime.secrets, START, None)
        assert session.execute(select(Camera)).first() is None
    runtime.engine.dispose()
    assert report.created == 3 + 11 + len(USERS)


def test_every_demo_camera_is_served_by_the_local_gateway_and_sealed_to_its_key(
        new_database: Callable[..., str], migrated_template: str, manifest_path: Path,
        tmp_path: Path) -> None:
    """The seed learns the embedded gateway's key (made by ``python3 -m gateway keygen``, which
    only the gateway reads) and seals every password to it; a re-seed changes nothing; new lab
    ports (new credentials) are sealed again."""
    import base64
    import stat

    from nacl.public import PrivateKey, SealedBox

    from server.models import Gateway

    runtime = _app(new_database, migrated_template, tmp_path).state.runtime
    settings = runtime.settings
    manifest = read_manifest(manifest_path)
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, START, manifest, settings)
    key_file = settings.gateway_dir / "x25519.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = PrivateKey(base64.b64decode(key_file.read_bytes()))  # the test reads it, not the seed

    def opened(manifest_ports: dict[str, int]) -> None:
        with runtime.sessions() as session:
            gateway = session.execute(select(Gateway)).scalar_one()
            assert gateway.name == settings.gateway_name
            assert gateway.public_key == base64.b64encode(bytes(key.public_key)).decode()
            for camera in session.execute(select(Camera)).scalars():
                assert camera.gateway_id == gateway.id
                index = int((camera.external_id or "").removeprefix("lab:"))
                entry = camera_entry(index, **manifest_ports)
                box = SealedBox(key)
                assert box.decrypt(base64.b64decode(camera.rtsp_password_sealed or "")
                                   ).decode() == entry["rtsp_password"]
                if entry["onvif_password"]:
                    assert box.decrypt(base64.b64decode(camera.onvif_password_sealed or "")
                                       ).decode() == entry["onvif_password"]
                else:
                    assert camera.onvif_password_sealed is None

    opened({})
    sealed = _dump(runtime.engine)
    with runtime.sessions() as session:  # a second run changes nothing
        seed_demo(session, runtime.passwords, runtime.secrets, START, manifest, settings)
    assert _dump(runtime.engine) == sealed
    moved = write_manifest(tmp_path / "lab2.json", rtsp_port=9554, onvif_base=9800)
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, START, read_manifest(moved),
                  settings)
    opened({"rtsp_port": 9554, "onvif_base": 9800})
    runtime.engine.dispose()


def test_the_seed_goes_through_the_administrators_path(new_database: Callable[..., str],
                                                       migrated_template: str,
                                                       manifest_path: Path,
                                                       tmp_path: Path) -> None:
    """Every ward, unit, account and camera of the demo is made by ``server.admin`` (its audit
    rows say so), the database becomes the demo site, and its passwords stay ``demo``."""
    from collections import Counter

    from server.models import AuditLog, Site, User

    runtime = _app(new_database, migrated_template, tmp_path).state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, START,
                  read_manifest(manifest_path))
        events = Counter(session.execute(select(AuditLog.event)).scalars())
        site = session.execute(select(Site)).scalar_one()
        hashes = session.execute(select(User.password_hash)).scalars().all()
        assert all(runtime.passwords.verify(h, "demo") for h in hashes)
        assert not any(u.must_change_password for u in session.execute(select(User)).scalars())
    runtime.engine.dispose()
    assert site.demo is True
    assert (events["ward_create"], events["unit_create"], events["account_create"],
            events["camera_create"], events["admin_seed_demo"]) == (3, 11, len(USERS), 8, 1)
