"""Plain domain types of the client (no Qt)."""

from app.domain.layouts import Layout, LayoutItem, LayoutOwner
from app.domain.models import Action, Camera, CameraSystem, Scope, Session, Unit, User, Ward

__all__ = ["Action", "Camera", "CameraSystem", "Layout", "LayoutItem", "LayoutOwner", "Scope",
           "Session", "Unit", "User", "Ward"]
