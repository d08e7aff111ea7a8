"""Moderation: verdicts, queues, history, authors, sanctions, settings, calibration, reports."""
