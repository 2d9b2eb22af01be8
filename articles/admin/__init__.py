"""The editors' screens, one module per subject; importing registers them."""

from . import articles, audit, images, tags, taxonomy, wordpress

__all__ = ["articles", "audit", "images", "tags", "taxonomy", "wordpress"]
