"""Compressed packets → MPEG-TS bytes, without decoding.

MPEG-TS is what libvlc's memory input demuxes best for a live, unseekable stream: no header to
wait for, resync on any 188-byte boundary, and the muxer repeats SPS/PPS before keyframes so a
decoder can join at any IDR. The output starts at a keyframe, so the first picture libvlc decodes
is whole instead of a grey smear.

Audio is copied too, except G.711 (PCMA/PCMU, common on CCTV): MPEG-TS has no stream type for
it, FFmpeg muxes it as private data, and libvlc never plays that. It is transcoded to AAC at its
own sample rate (8 kHz mono: a few kbit/s and well under 1 % of a core), only while the tile is
unmuted, since a muted tile receives no audio at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from fractions import Fraction

import av

from app.video.replay import ReplayRing
from app.video.tsbuffer import TsByteBuffer

log = logging.getLogger("iocwall.video")


class _BufferWriter:
    """The file-like object PyAV's muxer writes into (called on the ingest thread)."""

    def __init__(self, remuxer: TsRemuxer) -> None:
        self._remuxer = remuxer

    def write(self, data: bytes) -> int:
        remuxer = self._remuxer
        with remuxer._lock:
            if remuxer._feeding_buffer:
                remuxer.buffer.write(data)
            remuxer._keep(data)
        ring = remuxer.ring
        if ring is not None and remuxer._ring_open:
            ring.write(data)
        return len(data)


# the current GOP's bytes are kept for a player that starts over (see TsRemuxer.retarget);
# a longer GOP than this (a 4K camera with a 10 s GOP) is not kept: that player waits for the
# next key frame instead
MAX_KEPT_GOP_BYTES = 16 * 1024 * 1024

# audio codecs MPEG-TS cannot carry for libvlc: transcoded to AAC
TRANSCODED_AUDIO = frozenset({"pcm_alaw", "pcm_mulaw"})
AAC_BITRATE = 32_000


class _AudioTranscoder:
    """One G.711 input stream → AAC packets for the TS muxer's audio stream."""

    def __init__(self, source: av.stream.Stream, output: av.container.OutputContainer) -> None:
        context = source.codec_context
        rate = int(getattr(context, "sample_rate", 0) or 8000)
        self.decoder: av.AudioCodecContext = av.CodecContext.create(  # type: ignore[assignment]
            context.name, "r")
        self.decoder.sample_rate = rate
        self.decoder.layout = "mono"
        self.stream = output.add_stream("aac", rate=rate, layout="mono")
        self.stream.bit_rate = AAC_BITRATE
        self.rate = rate

    def packets(self, packet: av.Packet) -> list[av.Packet]:
        """AAC packets for one G.711 packet (often none: AAC frames hold 1024 samples)."""
        out: list[av.Packet] = []
        for frame in self.decoder.decode(packet):
            if packet.pts is not None and packet.time_base is not None:
                frame.pts = int(packet.pts * packet.time_base * self.rate)
                frame.time_base = Fraction(1, self.rate)
            out.extend(self.stream.encode(frame))
        return out


class TsRemuxer:
    """A :class:`~app.video.ingest.PacketSink` that remuxes one session into a TS byte buffer.

    With a ``ring``, the same bytes also go to the instant-replay ring, cut at keyframes.
    :meth:`retarget` moves the live output to a new buffer (at the next keyframe), so that the
    ring keeps filling while the tile shows a replay and the live player comes back later.
    """

    def __init__(
        self, buffer: TsByteBuffer, label: str = "", ring: ReplayRing | None = None
    ) -> None:
        self.buffer = buffer
        self.label = label
        self.ring = ring
        self._feeding_buffer = False
        self._ring_open = False  # this session has opened a chunk in the ring (at a keyframe)
        self._next_buffer: TsByteBuffer | None = None
        self._output: av.container.OutputContainer | None = None
        self._map: dict[int, av.stream.Stream] = {}
        self._transcoders: dict[int, _AudioTranscoder] = {}
        self._video_index: int | None = None
        self._started = False
        self.packets_written = 0
        self._lock = threading.Lock()
        self._gop = bytearray()  # the TS bytes since the last video keyframe (with its PAT/PMT)
        self._gop_whole = False  # _gop starts at a keyframe and nothing was left out

    def begin(self, streams: Sequence[av.stream.Stream]) -> None:
        """Open a TS muxer with the input streams' codec parameters copied over."""
        self._output = av.open(
            _BufferWriter(self),
            mode="w",
            format="mpegts",
            # hand every packet to libvlc at once instead of waiting for a 32 KiB avio buffer
            options={"flush_packets": "1"},
        )
        self._map = {}
        self._transcoders = {}
        for stream in streams:
            if stream.type == "audio" and stream.codec_context.name in TRANSCODED_AUDIO:
                self._transcoders[stream.index] = _AudioTranscoder(stream, self._output)
            else:
                self._map[stream.index] = self._output.add_stream_from_template(stream)
        self._video_index = streams[0].index
        self._started = False

    def attach_ring(self, ring: ReplayRing | None) -> None:
        """Start (or stop, with None) copying bytes to ``ring``, from the next keyframe on."""
        self._ring_open = False
        self.ring = ring

    def retarget(self, buffer: TsByteBuffer, at_once: bool = False) -> None:
        """Send live bytes to ``buffer`` from the next video keyframe on (any thread).

        ``at_once``: from now on, starting with the current GOP's bytes (kept since its
        keyframe), so that a player started over (a new cache, more decoder threads) shows
        its first picture now, not one GOP later; without a whole GOP kept, as without
        ``at_once``."""
        with self._lock:
            if at_once and self._gop_whole and self._started:
                self._next_buffer = None
                self.buffer = buffer
                self._feeding_buffer = True
                buffer.mark_keyframe()
                buffer.write(bytes(self._gop))
                return
            self._next_buffer = buffer

    def _keep(self, data: bytes) -> None:
        """(under the lock) the muxer wrote ``data``: part of the current GOP."""
        if not self._gop_whole:
            return
        if len(self._gop) + len(data) > MAX_KEPT_GOP_BYTES:
            self._gop_whole = False
            self._gop = bytearray()
        else:
            self._gop += data

    def write(self, packet: av.Packet) -> None:
        """Mux one packet; everything before the first video keyframe is dropped."""
        if self._output is None or (
            self.buffer.closed and self.ring is None and self._next_buffer is None
        ):
            return
        if self._started and self.buffer.closed and not self._ring_open and not (
            packet.stream.index == self._video_index and packet.is_keyframe
        ):
            return
        keyframe = packet.stream.index == self._video_index and packet.is_keyframe
        if not self._started:
            if not keyframe:
                return
            self._started = True
            self._feeding_buffer = True
        if keyframe:
            with self._lock:
                self._gop = bytearray()
                self._gop_whole = True
                upcoming = self._next_buffer
                if upcoming is not None:
                    self._next_buffer = None
                    self.buffer = upcoming
                    self._feeding_buffer = True
            ring = self.ring
            if ring is not None:
                ring.start_chunk()
                self._ring_open = True
            self.buffer.mark_keyframe()
        if self.buffer.closed and self.ring is None:
            return
        transcoder = self._transcoders.get(packet.stream.index)
        if transcoder is not None:
            try:
                for encoded in transcoder.packets(packet):
                    self._output.mux(encoded)
                    self.packets_written += 1
            except (av.FFmpegError, ValueError) as error:
                log.debug("%s: audio packet dropped: %s", self.label, error)
            return
        source = packet.stream
        pts, dts, time_base = packet.pts, packet.dts, packet.time_base
        packet.stream = self._map[source.index]
        try:
            self._output.mux(packet)
            self.packets_written += 1
        finally:
            # the packet is shared with other sinks: give it back untouched
            packet.stream = source
            packet.time_base = time_base
            packet.pts, packet.dts = pts, dts

    def end(self) -> None:
        """Close the muxer (its trailer is irrelevant to a live reader)."""
        output, self._output = self._output, None
        if output is not None:
            try:
                output.close()
            except (av.FFmpegError, OSError) as error:
                # closing a muxer that never wrote a header fails harmlessly
                log.debug("%s: closing the TS muxer: %s", self.label, error)
