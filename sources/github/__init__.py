"""The github source: its query type (query.py) and its flows (flows/)."""
