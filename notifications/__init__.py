"""Notices to users in their own language: an inbox for everyone, and email through SMTP when configured."""
