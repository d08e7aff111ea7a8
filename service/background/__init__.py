"""Work outside requests: the scoring worker, wake-ups, scoring glue, heap, priority, exports."""
