"""The logic behind scripts/new.py: names, templates, ast checks and repairs."""
