"""Threads: articles, comments, threads, cursors, text cleaning."""
