"""Wall layout templates as plain data."""

from layouts.grid import (
    DEFAULT_TEMPLATE,
    MAX_CELLS,
    MAX_GRID,
    TEMPLATE_ORDER,
    TEMPLATES,
    Cell,
    GridTemplate,
    TemplateError,
    custom,
    from_layout,
    template,
    uniform,
    validate,
)

__all__ = ["DEFAULT_TEMPLATE", "MAX_CELLS", "MAX_GRID", "TEMPLATE_ORDER", "TEMPLATES", "Cell",
           "GridTemplate", "TemplateError", "custom", "from_layout", "template", "uniform",
           "validate"]
