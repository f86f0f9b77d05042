"""Pure vehicle model, source seam and simulator: no Home Assistant imports."""
