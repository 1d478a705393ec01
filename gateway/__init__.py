"""The media gateway: the only process that holds camera credentials.

It keeps one connection per camera stream while anyone watches and fans it out to any number of
viewers, each presenting a session token the backend signed (checked offline,
:mod:`common.stream_tokens`). Run by Debian's ``/usr/bin/python3`` (the interpreter with ``gi``
and ``nacl``) as ``python3 -m gateway``, a child of the backend or of a test, or as
``python3 -m gateway --config FILE``, a service on a machine near its cameras (systemd:
``installer/iocwall-gateway.service``); it imports only the standard library, ``gi``, ``nacl``
and ``common``. ``gateway.process`` is the parent's side.

Protocol with the parent:
  stdin, first line, one JSON object (secrets travel here only, never on argv or in the
  environment); or, with ``--config FILE``, the same object in FILE, a regular file with no
  permission for group or others (else the gateway refuses to start, exit code 2), and usually
  without cameras: the backend sends them (``PUT /cameras``) once it knows the gateway:
      {"rtsp": {"address": "127.0.0.1", "port": 8554},
       "control": {"address": "127.0.0.1", "port": 0, "secret": "<≥ 16 chars>"},
       "token_keys": ["<Ed25519 public key: PEM or base64 of the 32 raw bytes>" | {"key": "<the same>",
                      "until": <Unix seconds: a retired key, trusted until then>}, ...],
       "max_token_lifetime_s": 3600, "preview_lifetime_s": 120, "cameras_version": "<the backend's name for the table>",
       "cameras": [{"camera_id": 1, "stream": "main" | "sub", "url": "rtsp://host:554/...",
                    "username": "...", "password": "...", "transport": "auto" | "tcp" | "udp",
                    "name": "CAM-01 ...", "keeper": true}, ...],
       "ptz": {"address": "127.0.0.1", "port": 0},
       "ptz_cameras": [{"camera_id": 1, "host": "10.0.0.5", "port": 80, "username": "...",
                        "password" | "sealed_password": "...", "name": "CAM-01 ..."}, ...]}
      "keeper" (default true): viewers start on the stream's kept GOP (gateway/keeper.py);
      false: the plain relay (one shared media, viewers wait for the camera's key frame).
      Port 0 picks a free port. EOF on stdin later (the parent died or let go) ends the process
      (not with ``--config``: stdin is not read); so does SIGTERM or SIGINT.
  stdout, one JSON object per line, each with "event" and "at" (Unix seconds):
      {"event": "ready", "ok": true, "rtsp_port": p, "control_port": q, "ptz_port": r,
          "pid": n [, "public_key": "<X25519, base64>" with a "key_file"]}
          or {"event": "ready", "ok": false, "error": "..."} and exit code 2
      {"event": "session_start", "session_id", "user_id", "username", "camera_id", "stream",
          "started_at"}                                          at a viewer's first PLAY
      {"event": "session_end", ... the same ..., "duration_s", "reason": "closed" | "teardown"
          | "revoked" | "moved" | "shutdown" | "expired" | "watched" | "unreachable"}  ("moved":
          its camera left this gateway; the last three: a preview's end, ``camera_id`` 0,
          ``stream`` "preview")
      {"event": "session_refused", "reason": "malformed" | "bad_signature" | "expired" |
          "wrong_stream" | "revoked" | "session_mismatch", "camera_id", "stream"
          [, "session_id", "user_id", "username", "token_camera_id", "token_stream" once the
          signature held]}
      {"event": "ptz_refused", "reason": "not_holder" | "expired" | "revoked" | "malformed" |
          "bad_signature", "operation" [, "camera_id", "user_id", "username" once the
          signature held]}
  stderr: diagnostics for people (``iocwall.gateway`` log lines), camera URLs masked, no token.
  Viewers: ``rtsp://<host>:<rtsp port>/cam/<camera id>/<main|sub>?token=<token>``
  (``common.stream_tokens.session_url``; log it through ``mask_token``), RTSP over TCP.
  Previews: ``.../preview/<preview id>?token=<token>`` (``preview_url``), a preview's token.
  Recorders: ``.../cam/<camera id>/<main|sub>/live?token=<token>`` (``session_url(...,
  live=True)``), the same token: the same upstream session as the viewers', without the kept
  GOP; it starts at the next key frame and its timestamps are the frames' arrival (the camera's
  pace, DTS always growing), fit for recording. Its sessions are events like any other. RTSP
  Basic ``<session id>:<token>`` works too, but not from FFmpeg (PyAV, ffprobe), which cuts a
  URL's user info at 127 bytes. Control: HTTP (loopback for a child; the address facing the
  backend for a gateway on another machine), see :mod:`gateway.control`; the camera table and
  the PTZ cameras can be replaced there while the gateway runs (``PUT /cameras``).
  PTZ: ONVIF SOAP at ``http://<host>:<ptz port>/onvif/device_service``, WS-Security user name
  and password = a PTZ token (:mod:`common.ptz_tokens`); commands for the lease holder only
  (told on the control endpoint), see :mod:`gateway.ptz`.
Files: it writes none; its umask is 077, so anything a library writes for it is owner-only.
"""
