"""Rendering: context from the engines' results → charts and maps → Jinja templates → files."""
