"""Validators for the official schemas in ../shared/standards, resolved offline.

The schemas import one another by their official URLs; these helpers map those
URLs to the local copies, so validation never touches the network.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from lxml import etree


def _find_standards() -> Path | None:
    """Return ``$NEWSROOM_STANDARDS``, or the nearest ``shared/standards`` above the tests."""
    if os.environ.get("NEWSROOM_STANDARDS"):
        return Path(os.environ["NEWSROOM_STANDARDS"])
    for folder in Path(__file__).resolve().parents:
        if (folder / "shared" / "standards").is_dir():
            return folder / "shared" / "standards"
    return None


STANDARDS = _find_standards()


def require_standards() -> Path:
    """Return the standards folder, or skip the test when this checkout has none."""
    if STANDARDS is None or not STANDARDS.is_dir():
        pytest.skip("../shared/standards not found; set NEWSROOM_STANDARDS to validate")
    return STANDARDS


NS_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS_IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
NAMESPACES = {"s": NS_SITEMAP, "news": NS_NEWS, "image": NS_IMAGE}

XSD_FILES = {
    "http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd": "sitemap.xsd",
    "http://www.sitemaps.org/schemas/sitemap/0.9/siteindex.xsd": "siteindex.xsd",
    "http://www.google.com/schemas/sitemap-news/0.9/sitemap-news.xsd": "sitemap-news.xsd",
    "http://www.google.com/schemas/sitemap-image/1.1/sitemap-image.xsd": "sitemap-image.xsd",
}


class LocalXsdResolver(etree.Resolver):
    """Serve the official schema URLs from the local copies."""

    def resolve(self, system_url, public_id, context):
        name = XSD_FILES.get(system_url)
        if name is None:
            return None
        return self.resolve_filename(str(require_standards() / "sitemaps" / name), context)


@functools.cache
def sitemap_schema(root: str) -> etree.XMLSchema:
    """Return the schema for a ``urlset`` (with the news and image extensions) or an index."""
    require_standards()
    if root == "urlset":
        imports = [
            (NS_SITEMAP, "http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd"),
            (NS_NEWS, "http://www.google.com/schemas/sitemap-news/0.9/sitemap-news.xsd"),
            (NS_IMAGE, "http://www.google.com/schemas/sitemap-image/1.1/sitemap-image.xsd"),
        ]
    else:
        imports = [(NS_SITEMAP, "http://www.sitemaps.org/schemas/sitemap/0.9/siteindex.xsd")]
    # The core schema admits extension elements with processContents="strict", so
    # the extensions are checked only when their schemas are loaded alongside it.
    source = '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{}</xsd:schema>'.format(
        "".join(f'<xsd:import namespace="{ns}" schemaLocation="{url}"/>' for ns, url in imports)
    )
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalXsdResolver())
    document = etree.fromstring(source.encode(), parser, base_url="http://localhost/umbrella.xsd")
    return etree.XMLSchema(document)


def parse_sitemap(content: bytes) -> etree._Element:
    """Parse a sitemap and assert it is valid against the protocol's schemas."""
    document = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    root = etree.QName(document).localname
    schema = sitemap_schema(root)
    assert schema.validate(document), [str(error) for error in schema.error_log]
    return document


@functools.cache
def ninjs_validator():
    """Return a validator for IPTC ninjs 3.1 with GeoJSON resolved locally."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7, DRAFT202012

    folder = require_standards() / "ninjs"
    schema = json.loads((folder / "ninjs-schema_3.1.json").read_text())
    geojson = json.loads((folder / "GeoJSON.json").read_text())
    registry = Registry().with_resources(
        [
            (
                "https://geojson.org/schema/GeoJSON.json",
                Resource.from_contents(geojson, default_specification=DRAFT7),
            ),
            (
                schema["$id"].rstrip("#"),
                Resource.from_contents(schema, default_specification=DRAFT202012),
            ),
        ]
    )
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def assert_ninjs(document: dict) -> None:
    """Assert ``document`` is valid IPTC ninjs 3.1."""
    errors = [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in ninjs_validator().iter_errors(document)
    ]
    assert not errors, errors
