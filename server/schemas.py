"""API shapes (docs/contracts.md). Inputs forbid unknown fields so typos fail loudly (422)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginCreate(StrictInput):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class AuditEventCreate(StrictInput):
    event: Literal["view_start", "view_stop"]
    camera_id: int
    detail: str | None = Field(default=None, max_length=500)


class WardPublic(BaseModel):
    id: int
    name: str


class UnitPublic(BaseModel):
    id: int
    name: str
    kind: str
    ward: WardPublic | None


class ScopePublic(BaseModel):
    city_wide: bool
    ward_ids: list[int]
    systems: list[str]


class MePublic(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    unit: UnitPublic
    scope: ScopePublic


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: MePublic


class OnvifPublic(BaseModel):
    """ONVIF address and credentials, given only to users holding ``ptz`` on the camera."""

    host: str
    port: int
    username: str | None
    password: str | None


class CameraPublic(BaseModel):
    id: int
    name: str
    ward: str
    ward_id: int
    system: str
    ptz: bool
    public: bool
    location: str
    owner: str
    actions: list[str]
    main_stream_url: str | None
    sub_stream_url: str | None
    onvif: OnvifPublic | None


class AuditEventPublic(BaseModel):
    id: int
    ts: datetime
    event: str


class AuditRowPublic(BaseModel):
    id: int
    ts: datetime
    event: str
    user_id: int | None
    username: str | None
    camera_id: int | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"
