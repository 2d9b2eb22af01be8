"""Newsroom: a reusable Django app for news articles, photos, tags and public pages."""
