"""The editors' screens, one module per subject; importing registers them."""

from . import articles, audit, fronts, images, live, tags, taxonomy, wordpress

__all__ = ["articles", "audit", "fronts", "images", "live", "tags", "taxonomy", "wordpress"]
