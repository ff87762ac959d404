"""Read a page's forms as a browser would: the values it would submit, and the text shown
beside the inputs."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """The values a browser would submit for the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data.removeprefix("\n")


def form_values(response, form_id: str) -> dict[str, list[str]]:
    """What submitting the form with this id would send, input by input."""
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    return parser.data


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _ClassTexts(HTMLParser):
    def __init__(self, css_class):
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def texts_of_class(response, css_class: str) -> list[str]:
    """The text of each element with this CSS class, in page order, spaces collapsed."""
    parser = _ClassTexts(css_class)
    parser.feed(response.content.decode())
    return [" ".join(text.split()) for text in parser.texts]


class _Buttons(HTMLParser):
    def __init__(self):
        super().__init__()
        self.buttons: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "button":
            self.current = {**dict(attrs), "text": ""}
            self.buttons.append(self.current)

    def handle_endtag(self, tag):
        if tag == "button":
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data


def buttons(response) -> list[dict]:
    """Every <button> of the page: its attributes, and its text under "text"."""
    parser = _Buttons()
    parser.feed(response.content.decode())
    return parser.buttons


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.current = {**dict(attrs), "text": ""}
            self.links.append(self.current)

    def handle_endtag(self, tag):
        if tag == "a":
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data


def links(response) -> list[dict]:
    """Every <a> of the page: its attributes, and its text (spaces collapsed) under "text"."""
    parser = _Links()
    parser.feed(response.content.decode())
    return [{**link, "text": " ".join(link["text"].split())} for link in parser.links]


class _Labels(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.label_for: set[str] = set()
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.inputs.append({**attrs, "tag": tag})

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def input_names(response, form_id: str) -> dict[str, str | None]:
    """Each input, select and textarea a person sees in the form with this id (not hidden ones or
    buttons), by its name: its aria-label, else "<label>" if a <label for> points at it, else
    None (no accessible name)."""
    parser = _Labels(form_id)
    parser.feed(response.content.decode())
    return {
        field.get("name") or field.get("id") or "": field.get("aria-label")
        or ("<label>" if field.get("id") in parser.label_for else None)
        for field in parser.inputs
    }


class _Stylesheets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.links.append(attrs)


def stylesheets(response) -> list[dict]:
    """Every <link rel="stylesheet"> of the page, with its attributes."""
    parser = _Stylesheets()
    parser.feed(response.content.decode())
    return parser.links
