"""The rules of Parley, independent of HTTP: views and the API call these."""
