"""Datasets and data loaders (see issue: workflow)."""
