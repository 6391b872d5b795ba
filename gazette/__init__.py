"""Gazette: a daily newspaper's web edition with a moderated reader discussion."""
