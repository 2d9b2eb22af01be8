"""What a page asks the browser to run: for the Content-Security-Policy tests."""

from html.parser import HTMLParser


class Markup(HTMLParser):
    """Every <script>'s and <style>'s attributes and text, every style attribute and handler."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[dict] = []
        self.inline: list[str] = []
        self.frames: list[str] = []
        self._element = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.inline += [
            f"<{tag} {name}>" for name in attributes if name == "style" or name.startswith("on")
        ]
        if tag == "iframe":
            self.frames.append(attributes.get("src", ""))
        if tag in {"script", "style"}:
            self._element = {**attributes, "text": ""}
            (self.scripts if tag == "script" else self.styles).append(self._element)

    def handle_data(self, data):
        if self._element is not None:
            self._element["text"] += data

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._element = None
