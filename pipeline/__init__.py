"""Broadsheet: OCR and layout reconstruction for scanned newspaper pages."""

__version__ = "0.1.0"
