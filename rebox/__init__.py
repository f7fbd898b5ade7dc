"""Rebox: order and returns management for online stores, dropshippers and 3PLs."""

from rebox.celery import app as celery_app

__all__ = ["celery_app"]
