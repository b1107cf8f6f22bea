"""Embedded national data: installed here from the top-level boundaries/ and indicators/."""
