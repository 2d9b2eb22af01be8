"""The editors' screens, one module per subject; importing registers them."""

from . import articles, audit, images, live, tags, taxonomy, wordpress

__all__ = ["articles", "audit", "images", "live", "tags", "taxonomy", "wordpress"]
