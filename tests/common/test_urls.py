"""common.urls: credentials never printed (Art. 5). The server's masking is the rule (the host and
port as written); a URL too broken to parse is masked as text instead of raising."""

from __future__ import annotations

from common.urls import mask_url, mask_urls_in


def test_credentials_are_masked_and_the_rest_kept() -> None:
    assert mask_url("rtsp://viewer01:s3cr3t@127.0.0.1:8554/cam01/main") == (
        "rtsp://***@127.0.0.1:8554/cam01/main")
    assert mask_url("rtsp://127.0.0.1:8554/cam01/main") == "rtsp://127.0.0.1:8554/cam01/main"
    assert mask_url("rtsp://user@cam.example/x?profile=1#f") == "rtsp://***@cam.example/x?profile=1#f"
    assert mask_url("rtsp://us%40er:p%3Ass@host:554/a") == "rtsp://***@host:554/a"
    assert mask_url("rtsp://a:b@c@host/x") == "rtsp://***@host/x"  # the last @ ends the user info


def test_host_and_port_stay_as_written() -> None:
    assert mask_url("http://user@[::1]:80/x") == "http://***@[::1]:80/x"
    assert mask_url("rtsp://u:p@Cam-01.Local:0554/x") == "rtsp://***@Cam-01.Local:0554/x"


def test_nothing_to_mask() -> None:
    assert mask_url(None) == ""
    assert mask_url("") == ""
    assert mask_url("not a url") == "not a url"


def test_an_unparsable_url_is_masked_as_text() -> None:
    masked = mask_url("rtsp://user:secret@[::1/cam")  # urlsplit refuses the bracket
    assert "secret" not in masked and masked.startswith("rtsp://***@")


def test_urls_inside_free_text() -> None:
    text = "open rtsp://u:s3cr3t@10.0.0.5/main failed; retry http://a:b@h/x"
    assert mask_urls_in(text) == "open rtsp://***@10.0.0.5/main failed; retry http://***@h/x"
