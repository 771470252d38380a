"""Hadir: attendance that means presence, for Indonesian regional governments."""
