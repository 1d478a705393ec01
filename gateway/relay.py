"""The relay: GStreamer's RTSP server with one shared media per camera stream.

Each camera stream of the :class:`~gateway.config.CameraTable` is a mount ``/cam/<id>/<stream>``
served by a :class:`StreamFactory`: one upstream ``rtspsrc`` (the camera's credentials set as
properties, never in a URL) whose H.264 is depayloaded, parsed and payloaded again without
re-encoding, shared by every viewer of that mount. GStreamer builds the media when the first
viewer arrives and tears it down after the last one leaves, so an unwatched camera costs no
connection. Viewers get RTSP over TCP only. A kept stream (:class:`KeeperFactory`) has a
pipeline per viewer fed by its one :class:`~gateway.keeper.GopKeeper` ingest instead.

Each stream also has a live mount ``/cam/<id>/<stream>/live`` on the same upstream session, for
the recorder: no kept GOP, the first frame is the ingest's next key frame, stamped as frames
arrive (the camera's pace, DTS always growing). The same token opens it (bound to the camera and
the stream, not to the mount).

Two traps of GStreamer's RTSP server (measured, ``../shared/notes/video-pipeline.md``):
- the factory's default sharing key holds the request URL's query, so anything per viewer in
  the URL splits the shared media (one camera session per viewer): :meth:`StreamFactory.
  do_gen_key` returns the mount path alone;
- taking a viewer's credentials away only refuses its next request; a playing viewer is cut by
  removing its client (:meth:`Relay.revoke`), which ends it within milliseconds.

Authentication (:class:`TokenAuth`): the viewer presents its token in the URL's query
(``/cam/<id>/<stream>?token=...``: FFmpeg, hence PyAV and ffprobe, cut a URL's user info at 127
bytes, far shorter than a signed token), or as RTSP Basic credentials ``<session id>:<token>``
for clients that send them whole. :meth:`Relay._decide` checks it with :class:`~gateway.access.
Gate` at DESCRIBE and binds the session to the client connection (SETUP and PLAY URLs lose the
query); the default check then answers, with the stream's role token as the auth's default token
for the length of that one check when admitted (the role opens that one mount only), and none
when refused, which makes it send the 401. Only DESCRIBE and SETUP check the media: a playing
session is never checked again (expiry gates the start only); a revocation cuts it.

A preview (:mod:`gateway.previews`) is a kept stream mounted at ``/preview/<id>`` for a camera
not saved yet: its viewers need a token for that preview; it is unmounted at its lifetime, when
its last viewer leaves after having played, or when its camera cannot be reached, and at most
:data:`MAX_PREVIEWS` are mounted.

Everything here runs on GStreamer's threads or the GLib main loop; :class:`Relay` keeps its own
state under one lock.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

from common.stream_tokens import (  # noqa: E402
    LIVE_MOUNT,  # noqa: E402
    StreamToken,
    TokenError,
)
from gateway.access import Gate, Revocation  # noqa: E402
from gateway.camera_login import CameraLogin  # noqa: E402
from gateway.config import (  # noqa: E402
    DEFAULT_PREVIEW_LIFETIME_S,
    CameraTable,
    Upstream,
    live_path,
)
from gateway.events import Events  # noqa: E402
from gateway.keeper import (  # noqa: E402
    AUDIO,
    PROTOCOLS,
    UPSTREAM_LATENCY_MS,
    UPSTREAM_TIMEOUT_US,
    VIDEO,
    Feed,
    GopKeeper,
    viewer_pipeline,
)
from gateway.previews import MAX_PREVIEWS, PreviewsBusy  # noqa: E402

log = logging.getLogger("iocwall.gateway")

LISTEN_BACKLOG = 128
CLIENT_THREADS = 64
# The plain relay lets rtspsrc choose (UDP first, then TCP); the keeper tries TCP first.
RELAY_PROTOCOLS = {"tcp": PROTOCOLS["tcp"], "udp": PROTOCOLS["udp"],
                   "auto": PROTOCOLS["udp"] | PROTOCOLS["tcp"]}
PIPELINE = (
    "( rtspsrc name=src ! rtph264depay ! h264parse ! "
    "rtph264pay name=pay0 pt=96 config-interval=-1 )"
)


class StreamFactory(GstRtspServer.RTSPMediaFactory):
    """One camera stream's mount: a shared media fed by one upstream connection."""

    def __init__(self, upstream: Upstream) -> None:
        super().__init__()
        self.upstream = upstream
        self.role = f"viewer-{upstream.camera_id}-{upstream.stream}"
        # The token every admitted viewer of this mount gets; held here for the process's life
        # because GStreamer's context borrows it without a reference.
        self.role_token = GstRtspServer.RTSPToken()
        self.role_token.set_string("media.factory.role", self.role)
        self.set_shared(True)
        self.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
        self.add_role_from_structure(Gst.Structure.new_from_string(
            f"{self.role}, media.factory.access=(boolean)true, "
            "media.factory.construct=(boolean)true"))
        self.bytes_in = 0
        self.connected = False
        self.medias = 0
        self.failures = 0  # upstream connections that never played
        self._login: CameraLogin | None = None
        self._login_lock = threading.Lock()
        self.connect("media-configure", self._on_media_configure)

    def do_gen_key(self, url: GstRtsp.RTSPUrl) -> str:
        """Every viewer of this mount shares one media, whatever its URL carries."""
        return self.upstream.path

    def do_create_element(self, url: GstRtsp.RTSPUrl) -> Gst.Element:
        bin_ = Gst.parse_launch(PIPELINE)
        self.configure_source(bin_.get_by_name("src"))
        log.info("%s: connecting upstream %s", self.upstream.label, self.upstream.masked_url)
        return bin_

    def set_location(self, src: Gst.Element) -> None:
        """The camera's ``rtspsrc``: the camera itself, or for a camera with credentials its
        login on this gateway (``rtspsrc`` never gets them: see :mod:`gateway.camera_login`)."""
        src.set_property("location", self.login.local_url if self.upstream.username
                         else self.upstream.url)

    @property
    def login(self) -> CameraLogin:
        """The camera's login, opened at the first connection that needs it."""
        with self._login_lock:
            if self._login is None:
                self._login = CameraLogin(self.upstream.url, self.upstream.username,
                                          self.upstream.password, self.upstream.label)
            return self._login

    def close(self) -> None:
        """Unmounted: the camera's login stops listening and its connections end."""
        with self._login_lock:
            login, self._login = self._login, None
        if login is not None:
            login.close()

    def configure_source(self, src: Gst.Element) -> None:
        """The relay's ``rtspsrc``: location, credentials, transport, limits."""
        self.set_location(src)
        src.set_property("protocols", RELAY_PROTOCOLS[self.upstream.transport])
        src.set_property("latency", UPSTREAM_LATENCY_MS)
        src.set_property("timeout", UPSTREAM_TIMEOUT_US)
        src.connect("select-stream", self._select_stream)

    def _select_stream(self, _src: Gst.Element, _num: int, caps: Gst.Caps) -> bool:
        """Video (H.264) only: an audio stream would have nowhere to go and stall the media."""
        structure = caps.get_structure(0)
        return bool(structure.get_string("media") == "video"
                    and (structure.get_string("encoding-name") or "").upper() == "H264")

    def _on_media_configure(self, _factory: Any, media: GstRtspServer.RTSPMedia) -> None:
        self.medias += 1
        pay = media.get_element().get_by_name_recurse_up("pay0")
        pay.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, self._count)
        prepared = [False]
        media.connect("prepared", self._on_prepared, prepared)
        media.connect("unprepared", self._on_unprepared, prepared)

    def _count(self, _pad: Gst.Pad, info: Gst.PadProbeInfo) -> Gst.PadProbeReturn:
        buffer = info.get_buffer()
        if buffer is not None:
            self.bytes_in += buffer.get_size()
        return Gst.PadProbeReturn.OK

    def _on_prepared(self, _media: GstRtspServer.RTSPMedia, prepared: list[bool]) -> None:
        prepared[0] = True
        self.connected = True
        log.info("%s: upstream connected", self.upstream.label)

    def stats_row(self) -> dict[str, Any]:
        return {"upstream_connected": self.connected, "upstream_failures": self.failures,
                "bytes": self.bytes_in}

    def _on_unprepared(self, _media: GstRtspServer.RTSPMedia, prepared: list[bool]) -> None:
        self.connected = False
        if prepared[0]:
            log.info("%s: upstream released", self.upstream.label)
        else:  # the viewer got 503
            self.failures += 1
            log.warning("%s: upstream %s failed (unreachable, refused, or no H.264 video)",
                        self.upstream.label, self.upstream.masked_url)


class KeeperFactory(StreamFactory):
    """A camera stream's mount served from its :class:`~gateway.keeper.GopKeeper`: one shared
    ingest, and a small pipeline per viewer (not shared) that starts on the kept key frame.

    :meth:`live_mount` is the same stream's ``/live`` mount: the same keeper (hence the same
    one upstream session), but its feeds skip the kept GOP and start at the next key frame, so
    their timestamps are the frames' arrival (what a recording needs)."""

    def __init__(self, upstream: Upstream, on_lost: Callable[[str], None],
                 keeper: GopKeeper | None = None, live: bool = False,
                 on_unplayable: Callable[[], None] | None = None) -> None:
        """``on_unplayable``: called (on a client thread) when a viewer is refused because the
        camera could not be reached."""
        super().__init__(upstream)
        self.set_shared(False)
        self.live = live
        self._on_unplayable = on_unplayable
        self.keeper = keeper if keeper is not None else GopKeeper(
            upstream.label, self.set_location, lambda: on_lost(upstream.path),
            transport=upstream.transport, masks=upstream.masks)

    def live_mount(self) -> KeeperFactory:
        return KeeperFactory(self.upstream, lambda _path: None, keeper=self.keeper, live=True)

    def do_create_element(self, url: GstRtsp.RTSPUrl) -> Gst.Element | None:
        """The viewer's pipeline, after the camera's streams (this waits for its SDP when no
        one watches it yet); None (the viewer gets 503) when the camera cannot be reached."""
        if self.keeper.pipeline is None:
            log.info("%s: connecting upstream %s", self.upstream.label,
                     self.upstream.masked_url)
        announce = self.keeper.prepare()
        if announce is None or announce.video is None:
            if self._on_unplayable is not None:
                self._on_unplayable()
            return None
        return Gst.parse_launch(viewer_pipeline(announce))

    def _on_media_configure(self, _factory: Any, media: GstRtspServer.RTSPMedia) -> None:
        self.medias += 1
        element = media.get_element()
        video = element.get_by_name_recurse_up("vsrc")
        caps_name = video.get_property("caps").get_structure(0).get_name()
        codec = next(codec for codec in VIDEO.values() if codec.caps.startswith(caps_name))
        pay = element.get_by_name_recurse_up("pay1")
        audio = (None if pay is None else
                 next(a.name for a in AUDIO.values()
                      if a.pay.split()[0] == pay.get_factory().get_name()))
        feed = Feed(video, audio=element.get_by_name_recurse_up("asrc"), live=self.live,
                    filler=codec.filler, codecs=(codec.name, audio))
        media.connect("unprepared", lambda _media: self.keeper.detach(feed))
        self.keeper.attach(feed)

    def stats_row(self) -> dict[str, Any]:
        return {"upstream_connected": self.keeper.connected,
                "upstream_failures": self.keeper.upstream.failures, "bytes": self.keeper.bytes_in,
                **self.keeper.stats()}


@dataclass
class Viewer:
    """One admitted session on one client connection."""

    client: GstRtspServer.RTSPClient
    token: StreamToken
    factory: StreamFactory
    started: float | None = None  # wall time of its first PLAY
    started_mono: float = 0.0
    end_reason: str = "closed"
    live: bool = False  # on the stream's live mount (a recorder)


def parse_basic(ctx: GstRtspServer.RTSPContext) -> tuple[str, str] | None:
    """``(user, password)`` of a request's Basic Authorization, or None."""
    request = ctx.request
    if request is None:
        return None
    result, value = request.get_header(GstRtsp.RTSPHeaderField.AUTHORIZATION, 0)
    if result != GstRtsp.RTSPResult.OK or not value:
        return None
    scheme, _, encoded = value.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        text = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    user, colon, password = text.partition(":")
    return (user, password) if colon else None


def presented_token(ctx: GstRtspServer.RTSPContext) -> tuple[str | None, str] | None:
    """``(session id or None, token)`` a request presents: the URL's ``token`` query (FFmpeg,
    hence PyAV and ffprobe, cut a URL's user info at 127 bytes, far shorter than a token), or
    Basic credentials ``<session id>:<token>`` for clients that carry them whole."""
    uri = ctx.uri
    query = uri.query if uri is not None else None
    if query:
        values = parse_qs(query.split("/", 1)[0]).get("token")
        if values:
            return None, values[0]
    basic = parse_basic(ctx)
    if basic is not None:
        return basic
    return None


class TokenAuth(GstRtspServer.RTSPAuth):
    """Decides each media check itself, then lets the default check answer.

    Python cannot set a request's token, and the default check takes the auth's default token
    when no registered credentials match: so for the length of one check (under one lock) the
    default token is the stream's role token when ``decide`` admits the request, and none when
    it refuses, which makes the default check send the 401.
    """

    def __init__(self, decide: Callable[[Any], GstRtspServer.RTSPToken | None],
                 lock: threading.RLock) -> None:
        super().__init__()
        self._decide = decide
        self._lock = lock

    def do_check(self, ctx: GstRtspServer.RTSPContext, check: str) -> bool:
        if not check.startswith("auth.check.media.factory."):
            return bool(GstRtspServer.RTSPAuth.do_check(self, ctx, check))
        with self._lock:
            self.set_default_token(self._decide(ctx))
            try:
                return bool(GstRtspServer.RTSPAuth.do_check(self, ctx, check))
            finally:
                self.set_default_token(None)


class Relay:
    """The RTSP server, its mounts, its viewers and their revocation."""

    def __init__(self, cameras: CameraTable, gate: Gate, events: Events, address: str,
                 port: int, preview_lifetime_s: int = DEFAULT_PREVIEW_LIFETIME_S,
                 tls_files: tuple[str, str] | None = None) -> None:
        """``tls_files``: (certificate, key) from the site CA; every connection is then RTSPS
        (GLib's TLS, glib-networking): tokens and pictures never cross the network in clear."""
        self.gate = gate
        self.preview_lifetime_s = preview_lifetime_s
        self.previews: dict[str, KeeperFactory] = {}  # preview id → its mount
        self.events = events
        self.lock = threading.RLock()
        self.viewers: dict[Any, list[Viewer]] = {}  # RTSPClient → its sessions
        self.refused: dict[Any, str] = {}  # RTSPClient → the last refusal logged for it
        self.factories: dict[str, StreamFactory] = {}
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address(address)
        self.server.set_service(str(port))
        # GStreamer's default listen backlog is 5: a wall opening 16 tiles at once had the
        # connections past it dropped by the kernel and retried by the client's TCP a second
        # later (first picture p50 ≈ 0.2 s but p95 ≈ 1.2 s at N = 16)
        self.server.set_backlog(LISTEN_BACKLOG)
        self.auth = TokenAuth(self._decide, self.lock)
        if tls_files is not None:
            try:
                certificate = Gio.TlsCertificate.new_from_files(*tls_files)
            except GLib.Error as err:
                raise OSError(f"TLS certificate {tls_files[0]}: {err.message}") from None
            self.auth.set_tls_certificate(certificate)
        self.server.set_auth(self.auth)
        # As in the lab: hold the pool's client thread for the process's life. GStreamer 1.22
        # stops it when the last client leaves while that client's shared media is still being
        # torn down, and the next viewer, on a fresh thread, finds the half-unprepared media in
        # the factory's cache and gets 503.
        pool = self.server.get_thread_pool()
        # A viewer's DESCRIBE waits (≤ ANNOUNCE_TIMEOUT_S) for an idle camera's SDP on its
        # client thread; with the default single thread every other viewer's requests waited
        # behind it (measured: 1.25 s for a camera that never answers). Up to this many
        # viewers get a thread each; past it they share them round-robin.
        pool.set_max_threads(CLIENT_THREADS)
        self._client_thread = pool.get_thread(
            GstRtspServer.RTSPThreadType.CLIENT, GstRtspServer.RTSPContext())
        for upstream in cameras:
            self._mount(upstream)
        self.server.connect("client-connected", self._on_client_connected)

    def _mount(self, upstream: Upstream) -> None:
        points = self.server.get_mount_points()
        factory = (KeeperFactory(upstream, self._cut_stream) if upstream.keeper
                   else StreamFactory(upstream))
        self.factories[upstream.path] = factory
        points.add_factory(upstream.path, factory)
        # The relay's shared media already has the camera's pacing: its live mount is the
        # same factory (hence the same media, the same upstream session).
        live = factory.live_mount() if isinstance(factory, KeeperFactory) else factory
        points.add_factory(live_path(upstream.path), live)

    def replace_cameras(self, cameras: CameraTable) -> dict[str, int]:
        """Serve exactly ``cameras`` from now on (the backend moved cameras between gateways,
        changed an address or a password). A stream that is gone or changed loses its mount and
        its viewers (they reconnect and are sent where the camera is now); an unchanged one
        plays on. Call on the main loop."""
        wanted = {upstream.path: upstream for upstream in cameras}
        with self.lock:
            doomed_paths = {path for path, factory in self.factories.items()
                            if wanted.get(path) != factory.upstream}
            doomed = {client for client, viewers in self.viewers.items()
                      if any(v.factory.upstream.path in doomed_paths for v in viewers)}
            for viewers in self.viewers.values():
                for viewer in viewers:
                    if viewer.factory.upstream.path in doomed_paths:
                        viewer.end_reason = "moved"
        points = self.server.get_mount_points()
        for path in doomed_paths:
            points.remove_factory(path)
            points.remove_factory(live_path(path))
            self.factories.pop(path).close()
        if doomed:
            self.server.client_filter(
                lambda _server, client, *_args: GstRtspServer.RTSPFilterResult.REMOVE
                if client in doomed else GstRtspServer.RTSPFilterResult.KEEP)
        added = 0
        for path, upstream in wanted.items():
            if path not in self.factories:
                self._mount(upstream)
                added += 1
        log.info("camera table replaced: %d stream(s), %d mounted, %d unmounted, %d viewer "
                 "connection(s) cut", len(wanted), added, len(doomed_paths), len(doomed))
        return {"streams": len(wanted), "mounted": added, "unmounted": len(doomed_paths),
                "cut": len(doomed)}

    def add_preview(self, upstream: Upstream) -> str:
        """Mount ``upstream`` as a new preview; its id. :class:`PreviewsBusy` when
        :data:`MAX_PREVIEWS` are mounted. Call on the main loop."""
        with self.lock:
            if len(self.previews) >= MAX_PREVIEWS:
                raise PreviewsBusy(f"{MAX_PREVIEWS} previews are open: try again shortly")
            preview_id = secrets.token_urlsafe(16)
            upstream = dataclasses.replace(upstream, preview_id=preview_id)
            # a camera that cannot be reached frees its slot at once: the viewer's reconnect
            # asks for a new preview, and a fifth would otherwise wait out this one's lifetime
            factory = KeeperFactory(
                upstream, self._cut_stream, on_unplayable=lambda: GLib.idle_add(
                    lambda: self.end_preview(preview_id, "unreachable") and False))
            self.previews[preview_id] = factory
        self.server.get_mount_points().add_factory(upstream.path, factory)
        GLib.timeout_add_seconds(self.preview_lifetime_s,
                                 lambda: self.end_preview(preview_id, "expired") and False)
        log.info("%s: mounted for %d s (upstream %s)", upstream.label, self.preview_lifetime_s,
                 upstream.masked_url)
        return preview_id

    def end_preview(self, preview_id: str, reason: str) -> bool:
        """Unmount a preview and cut its viewers (whose end lines give ``reason``); False when
        it had ended already. Call on the main loop."""
        with self.lock:
            factory = self.previews.pop(preview_id, None)
            if factory is None:
                return False
            doomed = set()
            for client, viewers in self.viewers.items():
                for viewer in viewers:
                    if viewer.factory is factory:
                        viewer.end_reason = reason
                        doomed.add(client)
        self.server.get_mount_points().remove_factory(factory.upstream.path)
        if doomed:
            self.server.client_filter(
                lambda _server, client, *_args: GstRtspServer.RTSPFilterResult.REMOVE
                if client in doomed else GstRtspServer.RTSPFilterResult.KEEP)
        factory.close()
        log.info("%s: unmounted (%s), %d viewer connection(s) cut", factory.upstream.label,
                 reason, len(doomed))
        return True

    def attach(self) -> int:
        """Listen; the bound port. GStreamer answers 0 without a word when the port is taken:
        that is raised here, so the gateway fails loudly instead of serving nothing."""
        if self.server.attach(None) == 0:
            raise OSError(f"cannot listen on {self.server.get_address()} port "
                          f"{self.server.get_service()} (in use?)")
        return int(self.server.get_bound_port())

    # -- admission (GStreamer's client thread) -------------------------------------------------
    def _decide(self, ctx: GstRtspServer.RTSPContext) -> GstRtspServer.RTSPToken | None:
        """The role token of the asked mount when this request may use it, else None."""
        factory = ctx.factory
        if not isinstance(factory, StreamFactory):
            return None
        client = ctx.client
        upstream = factory.upstream
        for viewer in self.viewers.get(client, []):
            if viewer.factory is factory:
                # Admitted at DESCRIBE on this connection (SETUP URLs lose the query): only a
                # revocation stops it now, not the clock.
                try:
                    self.gate.check_revoked(viewer.token)
                except TokenError as err:
                    self._refuse(client, upstream, err)
                    return None
                return factory.role_token
        presented = presented_token(ctx)
        if presented is None:
            return None  # nothing presented: the default check asks for credentials (401)
        session_id, token_text = presented
        try:
            token = self.gate.admit(token_text, upstream.camera_id, upstream.stream,
                                    session_id=session_id,
                                    preview_id=upstream.preview_id or None)
        except TokenError as err:
            self._refuse(client, upstream, err)
            return None
        self.refused.pop(client, None)
        uri = ctx.uri
        live = uri is not None and (uri.abspath or "").rstrip("/") == live_path(upstream.path)
        self.viewers.setdefault(client, []).append(Viewer(client, token, factory, live=live))
        log.info("%s: session %s of user %d (%s) admitted", upstream.label, token.session_id,
                 token.user_id, token.username)
        return factory.role_token

    def _refuse(self, client: Any, upstream: Upstream, err: TokenError) -> None:
        token: StreamToken | None = getattr(err, "token", None)
        if self.refused.get(client) == err.reason:
            return  # the same answer to the same connection: logged once
        self.refused[client] = err.reason
        who = (f"session {token.session_id} of user {token.user_id}" if token is not None
               else "an unverified token")
        log.warning("%s: refused %s: %s (%s)", upstream.label, who, err.reason, err)
        event: dict[str, Any] = {"event": "session_refused", "reason": err.reason,
                                 "camera_id": upstream.camera_id, "stream": upstream.stream}
        if token is not None:  # the claims are only worth repeating once the signature held
            event.update(session_id=token.session_id, user_id=token.user_id,
                         username=token.username, token_camera_id=token.camera_id,
                         token_stream=token.stream)
        self.events.emit(event)

    # -- session life ------------------------------------------------------------------------
    def _on_client_connected(self, _server: Any, client: GstRtspServer.RTSPClient) -> None:
        client.connect("pre-describe-request", self._on_pre_describe)
        client.connect("play-request", self._on_play)
        client.connect("teardown-request", self._on_teardown)
        client.connect("closed", self._on_closed)

    def _on_pre_describe(self, client: GstRtspServer.RTSPClient,
                         ctx: GstRtspServer.RTSPContext) -> GstRtsp.RTSPStatusCode:
        """A camera that is backing off (or whose login failed) is not tried for a viewer:
        a viewer with a valid token is answered 503 at once (an invalid token goes on to the
        usual 401, so nobody learns a camera's state without one). The reason is logged: the
        status line stays the standard one (a ``send-message`` handler's change to the
        response did not reach the client from Python); the backend tells viewers why
        (``camera_login_failed``)."""
        uri = ctx.uri
        path = (uri.abspath or "").rstrip("/") if uri is not None else ""
        factory = self.factories.get(path.removesuffix("/" + LIVE_MOUNT))
        if not isinstance(factory, KeeperFactory):
            return GstRtsp.RTSPStatusCode.OK
        reason = factory.keeper.refusal()
        presented = presented_token(ctx) if reason is not None else None
        if reason is None or presented is None:
            return GstRtsp.RTSPStatusCode.OK
        try:
            self.gate.admit(presented[1], factory.upstream.camera_id, factory.upstream.stream,
                            session_id=presented[0])
        except TokenError:
            return GstRtsp.RTSPStatusCode.OK
        log.info("%s: viewer refused without trying the camera: %s", factory.upstream.label,
                 reason)
        return GstRtsp.RTSPStatusCode.SERVICE_UNAVAILABLE

    def _on_play(self, client: GstRtspServer.RTSPClient, _ctx: Any) -> None:
        with self.lock:
            for viewer in self.viewers.get(client, []):
                if viewer.started is None:
                    viewer.started = time.time()
                    viewer.started_mono = time.monotonic()
                    self._emit_session("session_start", viewer)

    def _on_teardown(self, client: GstRtspServer.RTSPClient, _ctx: Any) -> None:
        self._end(client, "teardown")

    def _on_closed(self, client: GstRtspServer.RTSPClient) -> None:
        self._end(client, None)
        with self.lock:
            self.refused.pop(client, None)

    def _end(self, client: Any, reason: str | None) -> None:
        with self.lock:
            viewers = self.viewers.pop(client, [])
        for viewer in viewers:
            if viewer.started is None:
                continue
            preview_id = viewer.factory.upstream.preview_id
            if preview_id and not self._watched(viewer.factory):
                # its last viewer has seen it: the preview has done its job
                GLib.idle_add(lambda p=preview_id: self.end_preview(p, "watched") and False)
            duration = round(time.monotonic() - viewer.started_mono, 3)
            self._emit_session("session_end", viewer, duration_s=duration,
                               reason=reason if viewer.end_reason == "closed" and reason
                               else viewer.end_reason)

    def _watched(self, factory: StreamFactory) -> bool:
        """Whether a viewer is playing ``factory``'s mount."""
        with self.lock:
            return any(v.factory is factory and v.started is not None
                       for viewers in self.viewers.values() for v in viewers)

    def _emit_session(self, kind: str, viewer: Viewer, **extra: Any) -> None:
        token = viewer.token
        log.info("%s: %s session %s of user %d (%s)%s", viewer.factory.upstream.label,
                 "start of" if kind == "session_start" else "end of", token.session_id,
                 token.user_id, token.username,
                 f" after {extra['duration_s']:.1f} s" if "duration_s" in extra else "")
        self.events.emit({"event": kind, "session_id": token.session_id,
                          "user_id": token.user_id, "username": token.username,
                          "camera_id": token.camera_id, "stream": token.stream,
                          "started_at": viewer.started, **extra})

    # -- control (main loop) -----------------------------------------------------------------
    def revoke(self, revocation: Revocation) -> int:
        """Refuse the matching tokens from now on and cut their live viewers; how many were
        cut. Call on the main loop."""
        with self.lock:
            known = [v.token for vs in self.viewers.values() for v in vs]
            self.gate.revoke(revocation, known)
            doomed = set()
            for client, viewers in self.viewers.items():
                for viewer in viewers:
                    if revocation.matches(viewer.token):
                        viewer.end_reason = "revoked"
                        doomed.add(client)

        def cut(_server: Any, client: Any, *_args: Any) -> GstRtspServer.RTSPFilterResult:
            if client in doomed:
                return GstRtspServer.RTSPFilterResult.REMOVE
            return GstRtspServer.RTSPFilterResult.KEEP

        if doomed:
            self.server.client_filter(cut)
        log.info("revocation %s: %d connection(s) cut", revocation, len(doomed))
        return len(doomed)

    def _cut_stream(self, path: str) -> None:
        """A kept stream's upstream is gone under its playing viewers: cut them (the relay's
        shared media ends its viewers itself). Called on the main loop."""
        with self.lock:
            doomed = {client for client, viewers in self.viewers.items()
                      if any(v.factory.upstream.path == path and v.started is not None
                             for v in viewers)}
        if doomed:
            self.server.client_filter(
                lambda _server, client, *_args: GstRtspServer.RTSPFilterResult.REMOVE
                if client in doomed else GstRtspServer.RTSPFilterResult.KEEP)
        log.info("%s: upstream lost, %d viewer connection(s) cut", path, len(doomed))

    def close_all(self) -> None:
        """Cut every viewer (shutting down); their end lines say so."""
        with self.lock:
            clients = list(self.viewers)
        for client in clients:
            for viewer in self.viewers.get(client, []):
                viewer.end_reason = "shutdown"
            self._end(client, None)
        self.server.client_filter(lambda *_args: GstRtspServer.RTSPFilterResult.REMOVE)

    def stats(self) -> dict[str, Any]:
        with self.lock:
            watching: dict[str, int] = {}
            live: dict[str, int] = {}
            for viewers in self.viewers.values():
                for viewer in viewers:
                    if viewer.started is not None:
                        path = viewer.factory.upstream.path
                        watching[path] = watching.get(path, 0) + 1
                        if viewer.live:
                            live[path] = live.get(path, 0) + 1
        return {"streams": [
            {"path": path, "camera_id": f.upstream.camera_id, "stream": f.upstream.stream,
             "viewers": watching.get(path, 0), "live_readers": live.get(path, 0),
             "keeper": f.upstream.keeper, **f.stats_row()}
            for path, f in self.factories.items()],
            "previews": len(self.previews),
            "revocations": self.gate.revoked_count()}

    def cleanup_sessions(self) -> bool:
        """Drop sessions whose viewer vanished without TEARDOWN (a GLib timeout: repeats)."""
        self.server.get_session_pool().cleanup()
        return True


def on_main_loop(call: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Run ``call`` on the GLib main loop (GStreamer objects are touched there) and wait."""
    done = threading.Event()
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> bool:
        try:
            result.append(call())
        except Exception as exc:  # noqa: BLE001 - handed back to the waiting thread as it is
            failure.append(exc)
        finally:
            done.set()
        return False

    GLib.idle_add(run)
    if not done.wait(timeout):
        raise TimeoutError("the main loop did not answer")
    if failure:
        raise failure[0]
    return result[0]
