"""The template-language parsers never raise, whatever the text, and keep offsets inside it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from argolint.analysis.expr import analyse_expression, parse_depends, parse_when, scan_tags

ALPHABET = st.sampled_from([*"{}=.[]()'\"`-_!&|?:#$ \nabcxyz019", "{{", "}}", "{{="])
TEXT = st.lists(ALPHABET, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_scan_tags_never_raises_and_offsets_stay_inside(text: str):
    for tag in scan_tags(text):
        assert 0 <= tag.start < tag.end <= len(text)
        for ref in tag.refs:
            assert 0 <= ref.start <= ref.end <= len(text)
        if tag.error is not None:
            assert 0 <= tag.error.start <= len(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_other_parsers_never_raise(text: str):
    info = analyse_expression(text)
    for ref in info.refs:
        assert 0 <= ref.start <= ref.end <= len(text)
    parse_depends(text)
    parse_when(text)


def test_very_deep_expressions_do_not_crash():
    deep = "(" * 3000 + "inputs.parameters.a" + ")" * 3000
    analyse_expression(deep)
    long_sum = " + ".join(["inputs.parameters.a"] * 5000)
    analyse_expression(long_sum)
    parse_depends(" && ".join(f"t{i}" for i in range(5000)))
    parse_depends("(" * 2000 + "a" + ")" * 2000)
    parse_when(" && ".join(["{{item}} == a"] * 2000))
