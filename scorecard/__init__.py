"""scorecard: residential segregation and race-equality scorecards for local authorities
in England and Wales, from real public data (ONS Census 2011 and 2021)."""

__version__ = "0.1.0"
