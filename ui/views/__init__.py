"""Per-page content built once per data version, language and settings (see ui.memo)."""
