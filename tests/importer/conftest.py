"""Fixtures for the importer tests."""
from importer_support import shared  # noqa: F401  (pytest fixture)
