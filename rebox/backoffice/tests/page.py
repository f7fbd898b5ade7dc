"""Read a rendered page the way a browser would, without one: the values a form would
submit, and the text of the field block around an input (to check a message sits beside
its field). A tiny DOM over `html.parser`; enough for our own templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return " ".join(" ".join(parts).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


class Page:
    def __init__(self, html: str):
        builder = _Builder()
        builder.feed(html)
        self.root = builder.root

    def find(self, **attrs) -> Element | None:
        for element in self.root.walk():
            if all(element.attrs.get(k) == v for k, v in attrs.items()):
                return element
        return None

    def around(self, name: str) -> str:
        """The text of the field block (class "field" or "choices") holding input ``name``."""
        element = self.find(name=name)
        assert element is not None, f"no input named {name}"
        while element is not None and not element.classes & {"field", "choices"}:
            element = element.parent
        assert element is not None, f"{name} is not inside a field block"
        return element.text()

    def value(self, name: str) -> str | None:
        element = self.find(name=name)
        return None if element is None else element.attrs.get("value")

    def form_data(self, form_class: str) -> dict[str, list[str]]:
        """What submitting the form with ``form_class`` would send (buttons left out)."""
        form = next(e for e in self.root.walk() if e.tag == "form" and form_class in e.classes)
        data: dict[str, list[str]] = {}
        for element in form.walk():
            if element.tag == "template":
                continue
            if _inside_template(element, form):
                continue
            name = element.attrs.get("name")
            if not name or "disabled" in element.attrs:
                continue
            if element.tag == "input":
                kind = element.attrs.get("type", "text")
                if kind in ("submit", "button"):
                    continue
                if kind in ("checkbox", "radio"):
                    if "checked" in element.attrs:
                        data.setdefault(name, []).append(element.attrs.get("value", "on"))
                    continue
                data.setdefault(name, []).append(element.attrs.get("value", ""))
            elif element.tag == "select":
                options = [o for o in element.walk() if o.tag == "option"]
                chosen = [o for o in options if "selected" in o.attrs] or options[:1]
                data[name] = [o.attrs.get("value", o.text()) for o in chosen]
            elif element.tag == "textarea":
                data[name] = [element.text()]
        return data


def _inside_template(element: Element, stop: Element) -> bool:
    node = element.parent
    while node is not None and node is not stop:
        if node.tag == "template":
            return True
        node = node.parent
    return False
