"""Plain domain types of the client (no Qt). ``Action`` and ``CameraSystem`` are the shared words
of ``common.vocabulary``, also importable from here."""

from app.domain.layouts import Layout, LayoutItem, LayoutOwner
from app.domain.models import Camera, Scope, Session, Unit, User, Ward
from common.vocabulary import Action, CameraSystem

__all__ = ["Action", "Camera", "CameraSystem", "Layout", "LayoutItem", "LayoutOwner", "Scope",
           "Session", "Unit", "User", "Ward"]
