"""Reach figures and reports on the forums."""
