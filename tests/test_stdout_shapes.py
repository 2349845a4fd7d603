"""What Python and shell scripts print, inferred without running them."""

from __future__ import annotations

import pytest

from argolint.analysis.json_shape import HOLE, LIST, OBJECT, SCALAR, TEXT, UNKNOWN, shape_of_text
from argolint.analysis.stdout_events import combine
from argolint.analysis.stdout_node import node_writes
from argolint.analysis.stdout_python import python_writes
from argolint.analysis.stdout_shell import shell_writes


def py(source: str):
    found = python_writes(source)
    assert found is not None
    return combine(*found)


def sh(source: str):
    found = shell_writes(source)
    assert found is not None
    return combine(*found)


def test_docs_loop_example_is_a_list_of_numbers():
    out = py("import json\nimport sys\njson.dump([i for i in range(20, 31)], sys.stdout)\n")
    assert out.shape.kind == LIST and out.shape.item.scalar == "number"
    assert out.extra == ()


def test_python_object_and_its_keys():
    out = py("import json\nprint(json.dumps({'a': 1, 'b': [1]}))\n")
    assert out.shape.kind == OBJECT and out.shape.keys == {"a", "b"}


def test_python_list_built_by_append_keeps_element_keys():
    source = (
        "import json\nitems = []\nfor i in range(3):\n"
        "    items.append({'name': str(i), 'size': i})\nprint(json.dumps(items))\n"
    )
    shape = py(source).shape
    assert shape.kind == LIST and shape.item.kind == OBJECT
    assert shape.item.keys == {"name", "size"}


def test_python_keys_every_element_shares():
    source = (
        "import json\ndef gen():\n    return [{'a': 1, 'b': 2}, {'a': 3}]\n"
        "print(json.dumps(gen()))\n"
    )
    assert py(source).shape.item.keys == {"a"}


def test_python_extra_print_is_reported_with_its_position():
    source = "import json\nprint('generating')\nprint(json.dumps([1, 2]))\n"
    out = py(source)
    assert out.shape.kind == LIST
    (extra,) = out.extra
    assert source[extra.start : extra.end] == "print('generating')"


def test_python_stderr_and_bare_print_do_not_count():
    source = "import json, sys\nprint('log', file=sys.stderr)\nprint()\nprint(json.dumps([1]))\n"
    out = py(source)
    assert out.extra == () and out.shape.kind == LIST


def test_python_repr_of_strings_is_not_json():
    out = py("print(['a', 'b'])\n")
    assert out.shape.kind == TEXT
    assert py("print([1, 2])\n").shape.kind == LIST


def test_python_tags_are_masked_and_offsets_kept():
    source = "import json\nn = {{inputs.parameters.n}}\nprint(json.dumps(list(range(n))))\n"
    out = py(source)
    assert out.shape.kind == LIST
    assert source[out.main.start : out.main.end] == "print(json.dumps(list(range(n))))"


def test_python_main_function_and_loop_prints():
    source = (
        "import json, sys\ndef main():\n    data = {'x': [1]}\n    json.dump(data, sys.stdout)\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    assert py(source).shape.kind == OBJECT
    looped = py("import json\nfor i in range(3):\n    print(json.dumps([i]))\n")
    assert looped.repeated


def test_python_unknown_value_and_invalid_source_are_unknown():
    assert (
        py("import json, requests\nprint(json.dumps(requests.get('x').json()))\n").shape.kind
        == UNKNOWN
    )
    assert python_writes("def (:\n") is None
    assert py("import os\nos.system('gen')\n").shape.kind == UNKNOWN


def test_python_conditional_branches_join():
    source = "import json\nif x:\n    print(json.dumps([1]))\nelse:\n    print(json.dumps({}))\n"
    assert py(source).shape.kind == UNKNOWN
    same = "import json\nif x:\n    print(json.dumps([1]))\nelse:\n    print(json.dumps([2]))\n"
    out = py(same)
    assert out.shape.kind == LIST and not out.certain


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("echo '[1, 2, 3]'\n", LIST),
        ('echo "{\\"a\\": 1}"\n', OBJECT),
        ("jq -n -c '[{\"id\": 1}]'\n", LIST),
        ("echo '[1]' | jq -c .\n", LIST),
        ("printf '[%s]\\n' \"$x\"\n", LIST),
        ("echo hello\n", TEXT),
        ("echo 5\n", SCALAR),
        ("python3 gen.py\n", UNKNOWN),
        ("echo '{{inputs.parameters.list}}'\n", UNKNOWN),
        ("gen() {\n  echo '[1]'\n}\ngen\n", UNKNOWN),
    ],
)
def test_shell_shapes(source: str, kind: str):
    assert sh(source).shape.kind == kind


def test_shell_file_written_then_printed():
    source = 'cat > /tmp/out.json <<EOF\n[{"name": "a"}, {"name": "b"}]\nEOF\ncat /tmp/out.json\n'
    shape = sh(source).shape
    assert shape.kind == LIST and shape.item.keys == {"name"}


def test_shell_extra_echo_but_not_stderr():
    source = "echo 'Generating list'\necho 'log' >&2\necho '[\"a\", \"b\"]'\n"
    out = sh(source)
    assert out.shape.kind == LIST
    (extra,) = out.extra
    assert source[extra.start : extra.end] == "echo 'Generating list'"


def test_shell_tag_inside_json_string_keeps_keys():
    shape = sh('echo \'[{"x": "{{inputs.parameters.a}}"}]\'\n').shape
    assert shape.kind == LIST and shape.item.keys == {"x"}


def test_shell_if_branches_are_not_certain():
    out = sh("if [ -f x ]; then\n  echo '[1]'\nelse\n  echo '[2]'\nfi\n")
    assert out.shape.kind == LIST and not out.certain


def test_text_with_holes():
    assert shape_of_text(HOLE * 5).kind == UNKNOWN
    assert shape_of_text(f"[{HOLE}, 1]").kind == LIST
    assert shape_of_text(f'{{"a": "{HOLE}"}}').kind == OBJECT
    assert shape_of_text(f"count: {HOLE}").kind == TEXT
    assert shape_of_text("").kind == TEXT


# -- robustness: any text, never a traceback ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PY_BITS = st.sampled_from(
    [
        "import json, sys\n",
        "x = [",
        "]\n",
        "{'a': 1}",
        "json.dumps(",
        ")",
        "print(",
        "for i in ",
        "range(3):\n    ",
        "if x:\n    ",
        "else:\n    ",
        "def f():\n    ",
        "return ",
        "f()\n",
        "{{inputs.parameters.p}}",
        "x.append(",
        "sys.stdout.write(",
        "json.dump(x, sys.stdout)\n",
        "\n",
        "    ",
        "'",
        '"',
        "del x['a']\n",
        "x['k'] = ",
        "lambda: 1",
        "*x",
        "**x",
        "async ",
    ]
)
_SH_BITS = st.sampled_from(
    [
        "echo ",
        "'[1, 2]'",
        '"{\\"a\\": 1}"',
        "$x",
        "$(date)",
        "`ls`",
        " | jq -c .",
        " > /tmp/f",
        "cat /tmp/f",
        "<<EOF\n[1]\nEOF\n",
        "\n",
        "; ",
        " && ",
        " || ",
        "if true; then ",
        "fi",
        "for i in 1 2; do ",
        "done",
        "case $x in a) ",
        "esac",
        "f() {",
        "}",
        "printf '%s' ",
        "{{inputs.parameters.p}}",
        "\\",
        "'",
        '"',
        "(",
        ")",
        "#",
        "2>&1",
        ">&2",
        "jq -n ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PY_BITS, max_size=30).map("".join))
def test_python_analysis_never_crashes(source: str):
    found = python_writes(source)
    if found is not None:
        out = combine(*found)
        assert out.shape.kind in (LIST, OBJECT, SCALAR, TEXT, UNKNOWN)
        for write in found[0]:
            assert 0 <= write.start < write.end <= len(source) + 1


@settings(max_examples=300, deadline=None)
@given(st.lists(_SH_BITS, max_size=30).map("".join))
def test_shell_analysis_never_crashes(source: str):
    found = shell_writes(source)
    if found is not None:
        combine(*found)
        for write in found[0]:
            assert 0 <= write.start <= write.end <= len(source)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_crashes(source: str):
    python_writes(source)
    shell_writes(source)
    shape_of_text(source)


def test_python_stdout_write_of_json_with_newline():
    out = py('import json, sys\nsys.stdout.write(json.dumps({"a": 1}) + "\\n")\n')
    assert out.shape.kind == OBJECT and out.shape.keys == {"a"}


def test_python_map_with_lambda():
    source = (
        "import json, sys\nslices = [[1, 2], [3]]\n"
        "intervals = map(lambda x: {'start': min(x), 'stop': max(x)}, slices)\n"
        "json.dump(list(intervals), sys.stdout)\n"
    )
    shape = py(source).shape
    assert shape.kind == LIST and shape.item.keys == {"start", "stop"}


def test_shell_variables_with_literal_values():
    out = sh('ITEMS=\'[{"id": 1}]\'\necho "$ITEMS"\n')
    assert out.shape.kind == LIST and out.shape.item.keys == {"id"}
    exported = sh('export NAMES=\'["a", "b"]\'\necho ${NAMES}\n')
    assert exported.shape.kind == LIST
    # a value assigned under a condition, or from a command, is unknown
    assert sh("if x; then A='[1]'; fi\necho $A\n").shape.kind == UNKNOWN
    assert sh("A=$(ls)\necho $A\n").shape.kind == UNKNOWN


def test_text_printed_next_to_an_unreadable_command_is_extra():
    source = 'echo "Fetching items"\ncurl -s https://example.com/items.json\n'
    out = sh(source)
    assert out.shape.kind == UNKNOWN and out.main is None
    (extra,) = out.extra
    assert source[extra.start : extra.end] == 'echo "Fetching items"'
    assert sh("echo\ncurl -s https://example.com\n").extra == ()


def test_shell_function_bodies_are_not_run_where_defined():
    source = "log() {\n  echo \"$@\" >&2\n}\nfunction banner {\n  echo hi\n}\necho '[1, 2]'\n"
    out = sh(source)
    assert out.shape.kind == LIST and out.extra == ()
    called = sh("gen() {\n  echo '[1]'\n}\ngen\n")
    assert called.shape.kind == UNKNOWN


def test_jq_array_construction_is_a_list_whatever_its_input():
    assert sh("curl -s https://x | jq -c '[.items[] | {name: .n}]'\n").shape.kind == LIST
    assert sh("curl -s https://x | jq -c '.items'\n").shape.kind == UNKNOWN


def test_unreadable_end_of_pipeline_makes_the_result_unknown():
    assert sh("echo '[1]'\ncat /tmp/x | sort\n").shape.kind == UNKNOWN


def test_python_tags_inside_string_literals_are_unknown_parts():
    assert py("print('{{inputs.parameters.list}}')\n").shape.kind == UNKNOWN
    shape = py('print(\'[{"a": "{{inputs.parameters.x}}"}]\')\n').shape
    assert shape.kind == LIST and shape.item.keys == {"a"}
    assert py("x = {{inputs.parameters.n}}\nprint(f'{x}')\n").shape.kind == UNKNOWN


@pytest.mark.parametrize(
    "source",
    [
        'echo "["\nfor i in 1 2 3; do\n  echo "\\"$i\\","\ndone\necho "\\"last\\""\necho "]"\n',
        "echo '['\necho '\"a\"'\necho ']'\n",
        "printf '['\nprintf '\"%s\",' a b\nprintf '\"z\"]'\n",
    ],
)
def test_shell_json_printed_in_pieces_is_unknown(source):
    """`echo "["; ...; echo "]"` prints one document in pieces: no piece is the result."""
    out = sh(source)
    assert out.shape.kind == UNKNOWN and out.extra == ()


def test_python_json_printed_in_pieces_is_unknown():
    source = "print('[')\nfor i in range(3):\n    print(f'\"{i}\",')\nprint('\"end\"]')\n"
    out = py(source)
    assert out.shape.kind == UNKNOWN and out.extra == ()


def test_a_lone_fragment_is_still_not_json():
    assert sh("echo '[1, 2'\n").shape.kind == TEXT


@pytest.mark.parametrize(
    "source",
    [
        "import json, time\nfor attempt in range(3):\n    try:\n        data = [1, 2]\n"
        "        print(json.dumps(data))\n        break\n    except Exception:\n"
        "        time.sleep(1)\n",
        "import json\nwhile True:\n    items = ['a']\n    print(json.dumps(items))\n    break\n",
        "import json, sys\nfor i in range(3):\n    print(json.dumps([i]))\n    sys.exit(0)\n",
    ],
)
def test_python_loop_left_after_printing_prints_once(source):
    """A retry loop that breaks once it has printed the list prints it once, not per
    iteration."""
    out = py(source)
    assert not out.repeated and out.extra == ()
    assert out.shape.kind == LIST


def test_python_loop_printing_every_iteration_is_repeated():
    out = py("import json\nfor i in range(3):\n    print(json.dumps([i]))\n")
    assert out.repeated


@pytest.mark.parametrize(
    "source",
    [
        'for i in 1 2 3; do\n  echo "\\"$i\\""\ndone | jq -s -c .\n',
        'ls /data | while read f; do\n  echo "{\\"name\\": \\"$f\\"}"\ndone | jq -s -c .\n',
        "{\n  echo '\"a\"'\n  echo '\"b\"'\n} | jq -s -c .\n",
        "(echo '\"a\"'; echo '\"b\"') | jq -s -c .\n",
        "if true; then\n  echo '\"a\"'\nfi | jq -s -c .\n",
    ],
)
def test_shell_compound_piped_into_a_command_is_its_input(source):
    """`for ...; done | jq -s .`: what the loop prints is jq's input, not the result."""
    out = sh(source)
    assert out.shape.kind == UNKNOWN and out.extra == () and not out.repeated


@pytest.mark.parametrize(
    "source",
    [
        "for i in 1 2; do\n  echo \"$i\"\ndone > /tmp/x\necho '[1]'\n",
        "{\n  echo 'starting'\n} >&2\necho '[1]'\n",
        "while true; do\n  echo 'tick'\n  break\ndone 1>&2\necho '[1]'\n",
        "(echo 'log'; echo 'more') > /dev/null\necho '[1]'\n",
    ],
)
def test_shell_compound_redirected_away_does_not_print(source):
    out = sh(source)
    assert out.shape.kind == LIST and out.extra == () and not out.repeated


@pytest.mark.parametrize(
    "source",
    [
        "while true; do\n  echo '[1]'\n  break\ndone\n",
        "for i in 1 2 3; do\n  echo '[1]'\n  exit 0\ndone\n",
        "until false; do\n  if true; then\n    echo '[1]'\n    break\n  fi\ndone\n",
    ],
)
def test_shell_loop_left_after_printing_prints_once(source):
    out = sh(source)
    assert not out.repeated and out.extra == () and out.shape.kind == LIST


def test_shell_loop_printing_every_iteration_is_repeated():
    assert sh("for i in 1 2; do\n  echo '[1]'\ndone\n").repeated


def test_shell_exec_moving_stdout_ends_what_we_can_tell():
    out = sh("exec 1>&2\necho 'starting'\nexec 1>&3\necho '[1]'\n")
    assert out.shape.kind == UNKNOWN and out.extra == ()


@pytest.mark.parametrize(
    "source",
    [
        # an element taken from the list and changed in place
        "import json\nitems = [{'name': n} for n in 'ab']\nfor i in items:\n"
        "    i['extra'] = 1\nprint(json.dumps(items))\n",
        # a dict appended, then changed through its own name
        "import json\nout = []\nd = {'name': 'a'}\nout.append(d)\nd['extra'] = 1\n"
        "print(json.dumps(out))\n",
        # an element changed through the list itself
        "import json\nout = [{'name': 'a'}]\nout[0]['extra'] = 1\nprint(json.dumps(out))\n",
        # an element changed by a method
        "import json\nout = [{'name': 'a'}]\nfor row in out:\n"
        "    row.update(extra=1)\nprint(json.dumps(out))\n",
        # an element handed to a function that may change it
        "import json\nout = [{'name': 'a'}]\nfor row in out:\n"
        "    enrich(row)\nprint(json.dumps(out))\n",
    ],
)
def test_python_values_changed_in_place_through_another_name_lose_their_keys(source: str):
    """Python shares dicts by reference: a change made through an alias (a loop variable,
    a name appended earlier) is a change of the list's elements too."""
    out = py(source)
    assert out.shape.kind == LIST
    item = out.shape.item
    assert not (item is not None and item.keys == frozenset({"name"}) and item.closed)


def test_python_fresh_dict_changed_before_it_is_shared_keeps_its_keys():
    source = (
        "import json\nout = []\nfor r in ['us', 'eu']:\n    d = {'id': r}\n"
        "    d['region'] = r\n    d.update(zone=r)\n    out.append(d)\nprint(json.dumps(out))\n"
    )
    out = py(source)
    assert out.shape.kind == LIST and out.shape.item.keys >= {"id", "region"}


def test_blank_writes_are_not_extra_output():
    """A newline after the JSON is whitespace, which `json.Unmarshal` accepts."""
    out = py("import json, sys\nsys.stdout.write(json.dumps([1]))\nsys.stdout.write('\\n')\n")
    assert out.shape.kind == LIST and out.extra == ()
    assert sh("echo '[1]'\necho\necho ''\n").extra == ()


def test_python_copy_changed_in_place_keeps_the_known_keys():
    source = (
        "import json\nbase = {'name': 'a'}\nout = []\nfor n in 'ab':\n    d = base.copy()\n"
        "    d['n'] = n\n    out.append(d)\nprint(json.dumps(out))\n"
    )
    out = py(source)
    assert out.shape.item.keys == {"name", "n"} and out.shape.item.closed


def test_python_repr_of_nested_number_lists_is_json():
    """`[[1, 2], [3]]` reads as JSON; `[['a']]` does not."""
    assert py("print([[1, 2], [3]])\n").shape.kind == LIST
    assert py("print([['a']])\n").shape.kind == TEXT


def test_printf_reuses_its_format_for_the_remaining_arguments():
    """`printf '%s' '[1,' '2]'` prints `[1,2]`: the format is applied again while arguments
    remain."""
    assert sh("printf '%s' '[1,' '2]'\n").shape.kind == LIST
    assert sh("printf '%s,' a b\n").shape.kind == TEXT


def node(source: str):
    found = node_writes(source)
    assert found is not None
    return combine(*found)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("const items = [1, 2];\nconsole.log(JSON.stringify(items));\n", LIST),
        ("const xs = [1];\nconsole.log(JSON.stringify(xs.map((x) => ({ id: x }))));\n", LIST),
        ("const d = { a: 1 };\nconsole.log(JSON.stringify(Object.keys(d)));\n", LIST),
        ('console.log(JSON.stringify({ "regions": ["a"] }, null, 2));\n', OBJECT),
        ("const data = { a: 1 };\nprocess.stdout.write(JSON.stringify(data));\n", OBJECT),
        ("console.log('[\"a\"]');\n", LIST),
    ],
)
def test_node_top_level_prints(source, kind):
    assert node(source).shape.kind == kind


@pytest.mark.parametrize(
    "source",
    [
        "function main() {\n  console.log(JSON.stringify({ a: 1 }));\n}\nmain();\n",
        "if (process.env.X)\n  console.log(JSON.stringify({ a: 1 }));\n",
        "let items = {};\nitems = [1];\nconsole.log(JSON.stringify(items));\n",
        "[1, 2].forEach((i) => console.log(i));\n",
        "console.log([1, 2]);\n",
        "const n = 3;\nconsole.log(`[${n}]`);\n",
        "const items = {{inputs.parameters.list}};\nconsole.log(JSON.stringify(items));\n",
    ],
)
def test_node_anything_nested_or_unclear_is_unknown(source):
    assert node(source).shape.kind == UNKNOWN


def test_node_log_lines_beside_the_json_are_extra_output():
    out = node("console.log('starting');\nconsole.error('x');\nconsole.log(JSON.stringify([1]));\n")
    assert out.shape.kind == LIST and len(out.extra) == 1
