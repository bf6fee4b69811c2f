"""Optimizers (see issue: workflow)."""
