"""Runnable demos: the seeds' worked examples and more. ``python -m demos`` runs them all."""
