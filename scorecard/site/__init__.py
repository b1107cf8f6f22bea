"""Static site of many scorecards: home page with a national map and league table, a page
per LA with its explorable map, methods, data downloads; works from file:// (no requests)."""

from .build import SiteResult, build_site
from .links import Report, check_site

__all__ = ["SiteResult", "build_site", "Report", "check_site"]
