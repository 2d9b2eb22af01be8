"""What a page asks the browser to run: for the Content-Security-Policy tests."""

from html.parser import HTMLParser


class Markup(HTMLParser):
    """Every <script>'s attributes and text, and every inline style or event handler."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[dict] = []
        self.inline: list[str] = []
        self.frames: list[str] = []
        self._script = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.inline += [
            f"<{tag} {name}>" for name in attributes if name == "style" or name.startswith("on")
        ]
        if tag == "iframe":
            self.frames.append(attributes.get("src", ""))
        if tag == "script":
            self._script = {**attributes, "text": ""}
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
