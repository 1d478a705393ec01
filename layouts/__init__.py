"""Wall layout templates as plain data."""

from layouts.grid import DEFAULT_TEMPLATE, TEMPLATES, Cell, GridTemplate, template, uniform

__all__ = ["DEFAULT_TEMPLATE", "TEMPLATES", "Cell", "GridTemplate", "template", "uniform"]
