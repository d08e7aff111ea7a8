"""The embedded widget's sites (origins, pages) and tokens."""
