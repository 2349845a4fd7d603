#!/usr/bin/env python3
"""Regenerate the rule table of README.md from the rule catalogue (``rules/*.md``).

    python scripts/readme_rules.py          # rewrite the table in place
    python scripts/readme_rules.py --check  # exit 1 if README.md is out of date

The table sits between the markers ``<!-- rules:begin -->`` and ``<!-- rules:end -->``;
everything else in the README is left as it is. Run it after adding or changing a rule.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN = "<!-- rules:begin -->"
END = "<!-- rules:end -->"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def rule_table() -> str:
    """The Markdown table of every catalogued rule, grouped by category then id."""
    from argolint import catalogue, rules

    registered = rules.all_rules()
    pages = catalogue.pages()
    rows = sorted(pages.values(), key=lambda page: (page.category, page.id))
    lines = [
        f"{len(rows)} rules. Each id links to its page in the catalogue; "
        "`argolint --explain ID` prints the same page.",
        "",
        "| Rule | Category | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for page in rows:
        rule = registered.get(page.id)
        summary = rule.summary if rule is not None else page.summary
        if rule is not None and not rule.default_enabled:
            summary += " *(opt-in)*"
        lines.append(
            f"| [`{page.id}`](rules/{page.id}.md) | {_cell(page.category)} "
            f"| {_cell(page.severity)} | {_cell(summary)} |"
        )
    return "\n".join(lines)


def updated_readme(text: str) -> str:
    """``text`` with the block between the markers replaced by the current table."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{README}: markers {BEGIN} / {END} not found")
    return text[: start + len(BEGIN)] + "\n" + rule_table() + "\n" + text[end:]


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    fresh = updated_readme(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md rule table is out of date: run python scripts/readme_rules.py")
            return 1
        return 0
    if fresh != current:
        README.write_text(fresh, encoding="utf-8")
        print("README.md rule table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
