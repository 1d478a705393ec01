"""``POST /admin/cameras/import``: a CSV file of cameras. A dry run writes nothing and says
what would happen and every row's errors; a real import is all or nothing; the same file twice
creates no duplicate (rows are matched by ``external_id``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from server.models import AuditLog, Camera
from tests.server.admin_helpers import audit_details, keyed_gateway, opened, runtime
from tests.server.conftest import Backend

HEADER = "external_id,name,ward,system,category,lat,lon,onvif,rtsp_url,username,password\n"
ROWS = [
    "dh-0101,CAM Quảng trường,Đồng Phú,smart_city,,17.47,106.62,10.1.0.1:80,"
    "rtsp://10.1.0.1:554/main,importer,Import-Secret-0101\n",
    "dh-0102,CAM Chợ Đồng Hới,Hải Thành,public,business,17.48,106.60,,"
    "rtsp://10.1.0.2:554/main,importer,Import-Secret-0102\n",
    "dh-0103,CAM Cầu Nhật Lệ,Bắc Lý,traffic,,,,,rtsp://10.1.0.3/stream1,,\n",
]


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8")


def send(demo: Backend, token: str, data: bytes, **params: Any) -> Any:
    return demo.client.post("/api/v1/admin/cameras/import", content=data, params=params,
                            headers={"Authorization": f"Bearer {token}",
                                     "Content-Type": "text/csv"})


def counts(demo: Backend) -> tuple[int, int]:
    with runtime(demo).sessions() as session:
        return (session.execute(select(func.count()).select_from(Camera)).scalar_one(),
                session.execute(select(func.count()).select_from(AuditLog)).scalar_one())


def test_dry_run_writes_nothing_and_the_real_import_creates(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, key = keyed_gateway(demo)
    before = counts(demo)
    dry = send(demo, admin, csv(*ROWS), dry_run="true", gateway_id=gateway_id)
    assert dry.status_code == 200, dry.text
    answer = dry.json()
    assert (answer["dry_run"], answer["created"], answer["updated"]) == (True, 3, 0)
    assert [r["action"] for r in answer["rows"]] == ["create"] * 3
    assert answer["errors"] == []
    assert counts(demo) == before
    real = send(demo, admin, csv(*ROWS), gateway_id=gateway_id)
    assert real.status_code == 200, real.text
    assert real.json()["created"] == 3
    assert "Import-Secret" not in real.text and "Import-Secret" not in audit_details(demo)
    with runtime(demo).sessions() as session:
        camera = session.execute(select(Camera).where(Camera.external_id == "dh-0101")
                                 ).scalar_one()
        assert opened(key, camera.rtsp_password_sealed) == "Import-Secret-0101"
        assert camera.gateway_id == gateway_id and camera.latitude == 17.47
        assert runtime(demo).secrets.decrypt(camera.onvif_port_enc) == "80"
        public = session.execute(select(Camera).where(Camera.external_id == "dh-0102")
                                 ).scalar_one()
        assert (public.system, public.owner_category) == ("public", "business")
    assert len(demo.audit_rows("camera_import")) == 1


def test_reimporting_the_same_file_creates_no_duplicate(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, _key = keyed_gateway(demo)
    assert send(demo, admin, csv(*ROWS[2:]), gateway_id=gateway_id).status_code == 200
    cameras, _ = counts(demo)
    again = send(demo, admin, csv(*ROWS[2:]), gateway_id=gateway_id)
    assert again.status_code == 200
    assert [r["action"] for r in again.json()["rows"]] == ["unchanged"]
    assert counts(demo)[0] == cameras
    renamed = ROWS[2].replace("CAM Cầu Nhật Lệ", "CAM Cầu Nhật Lệ 2")
    third = send(demo, admin, csv(renamed), gateway_id=gateway_id)
    assert third.json()["updated"] == 1 and counts(demo)[0] == cameras
    names = [c["name"] for c in demo.get("/admin/cameras", admin).json()]
    assert "CAM Cầu Nhật Lệ 2" in names and "CAM Cầu Nhật Lệ" not in names


def test_one_bad_row_imports_nothing_and_every_error_names_line_and_column(
        demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, _key = keyed_gateway(demo)
    bad = [
        "dh-0201,CAM A,Phường Không Có,smart_city,,,,,rtsp://10.2.0.1/main,,\n",  # ward
        "dh-0202,CAM B,Đồng Phú,smart_city,,,,,rtsp://admin:pw@10.2.0.2/main,,\n",  # creds
        "dh-0203,CAM C,Đồng Phú,public,school,,,,rtsp://10.2.0.3/main,,\n",  # fine
        "dh-0204,CAM D,Đồng Phú,public,,,,,rtsp://10.2.0.4/main,,\n",  # no category
        "dh-0205,CAM E,Đồng Phú,smart_city,,91,106,,rtsp://10.2.0.5/main,,\n",  # latitude
        "dh-0206,CAM F,Đồng Phú,smart_city,,,,10.2.0.6,,,\n",  # onvif without port, no URL
        "dh-0207,CAM G,Đồng Phú,cctv,,,,,rtsp://10.2.0.7/main,,\n",  # system
        "dh-0207,CAM H,Đồng Phú,traffic,,,,,rtsp://10.2.0.8/main,,\n",  # repeated id
    ]
    before = counts(demo)
    dry = send(demo, admin, csv(ROWS[0], *bad), dry_run="true", gateway_id=gateway_id)
    assert dry.status_code == 200
    errors = {(e["row"], e["column"]) for e in dry.json()["errors"]}
    assert errors == {(3, "ward"), (4, "rtsp_url"), (6, "category"), (7, "lat"),
                      (8, "onvif"), (8, "rtsp_url"), (9, "system"), (10, "external_id")}
    assert "pw@" not in dry.text
    real = send(demo, admin, csv(ROWS[0], *bad), gateway_id=gateway_id)
    assert real.status_code == 422
    assert {(e["row"], e["column"]) for e in real.json()["context"]["errors"]} == errors
    assert counts(demo) == before  # not even the good rows, not even an audit row


def test_the_file_and_the_gateway_must_make_sense(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, _key = keyed_gateway(demo)
    reply = send(demo, admin, b"external_id,name,colour\nx,y,z\n", gateway_id=gateway_id)
    assert (reply.status_code, reply.json()["field"]) == (422, "colour")
    reply = send(demo, admin, b"\xff\xfe\x00bad", gateway_id=gateway_id)
    assert (reply.status_code, reply.json()["field"]) == (422, "file")
    reply = send(demo, admin, csv(ROWS[2]), gateway_id=99999)
    assert (reply.status_code, reply.json()["field"]) == (422, "gateway_id")
    # the demo has one gateway: it is the import's when none is named
    assert send(demo, admin, csv(ROWS[2])).status_code == 200
    keyed_gateway(demo, "north")
    reply = send(demo, admin, csv(ROWS[2]))
    assert (reply.status_code, reply.json()["field"]) == (422, "gateway_id")
