"""Pure home-approach engine: no Home Assistant imports."""
