"""Membership: perks (reads), grants, tiers, payments, money, dashboard, sponsors."""
