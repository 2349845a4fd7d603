"""The rule catalogue: one Markdown page per rule under ``rules/`` (shipped in the wheel
as ``argolint/_catalogue``). ``--explain``, ``--list-rules``, SARIF rule metadata and the
README's rule list read it; a test lints every page's examples."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DOCS_URL = "https://github.com/argolint/argolint/blob/main/rules/{id}.md"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
_FENCE = re.compile(r"^```ya?ml([^\n]*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
_ATTR = re.compile(r"(\w+)=(\S+)")
EXAMPLE_FILE = "example.yaml"


@dataclass(frozen=True)
class ExampleFile:
    """One fenced ``yaml`` block of an example section. The info string may name the file
    (```` ```yaml file=.argolint.yaml ````: a configuration, or another file of the project)
    and the encoding it is saved in (``encoding=latin-1``); unnamed blocks are the manifest."""

    name: str
    text: str
    encoding: str = "utf-8"

    @property
    def data(self) -> bytes:
        return self.text.encode(self.encoding)


@dataclass(frozen=True)
class Page:
    id: str
    category: str
    severity: str
    title: str
    body: str  # the Markdown after the front matter
    sections: dict[str, str]
    path: Path

    @property
    def summary(self) -> str:
        """The first paragraph after the title."""
        text = self.body if self.body.startswith("# ") else self.body.split("\n# ", 1)[-1]
        paragraphs = [p.strip() for p in text.split("\n\n")[1:] if p.strip()]
        return paragraphs[0].replace("\n", " ") if paragraphs else ""

    def example(self, section: str) -> list[ExampleFile]:
        """The files of an example section, in order (empty when it has none)."""
        files = []
        for match in _FENCE.finditer(self.sections.get(section, "")):
            attrs = dict(_ATTR.findall(match.group(1)))
            files.append(
                ExampleFile(
                    attrs.get("file", EXAMPLE_FILE), match.group(2), attrs.get("encoding", "utf-8")
                )
            )
        return files

    @property
    def failing_example(self) -> list[ExampleFile]:
        return self.example("Failing example")

    @property
    def fixed_example(self) -> list[ExampleFile]:
        return self.example("Fixed example")

    @property
    def help_uri(self) -> str:
        return DOCS_URL.format(id=self.id)


def catalogue_dir() -> Path:
    package = Path(__file__).parent
    shipped = package / "_catalogue"
    return shipped if shipped.is_dir() else package.parent / "rules"


def parse_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"{path}: no front matter")
    front = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition(":") for line in match.group(1).splitlines() if ":" in line)
    )
    body = text[match.end() :].lstrip("\n")
    title = body.splitlines()[0].lstrip("# ").strip() if body else front.get("id", "")
    parts = _SECTION.split(body)
    sections = {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    return Page(
        front["id"],
        front.get("category", ""),
        front.get("severity", ""),
        title,
        body,
        sections,
        path,
    )


@cache
def pages() -> dict[str, Page]:
    directory = catalogue_dir()
    if not directory.is_dir():
        return {}
    found = (parse_page(p) for p in sorted(directory.glob("*.md")))
    return {page.id: page for page in found}


def page(rule_id: str) -> Page | None:
    return pages().get(rule_id)
