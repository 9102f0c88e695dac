"""Accounts: users and passwords, web sessions, households, members, invites, links and tokens."""
