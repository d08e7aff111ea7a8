"""Accounts: sign-up and sign-in, deletion, data export, profile."""
