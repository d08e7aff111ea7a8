"""The demo seeders behind `flask seed-demo`."""
