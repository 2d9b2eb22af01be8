"""The editors' screens, one module per subject; importing registers them."""

from . import articles, images, tags, taxonomy

__all__ = ["articles", "images", "tags", "taxonomy"]
