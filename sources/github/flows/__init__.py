"""Flows of the github source: one extract method per module."""
