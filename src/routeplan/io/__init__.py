"""Readers and writers of the files routeplan exchanges with planners and CRMs."""
