"""What a Python script template prints to stdout, read with ``ast`` (never run).

An abstract interpreter over the script: it knows the values that make up a fan-out list
(literals, comprehensions, ``range``, ``list``/``sorted``, ``json.dumps``/``json.loads``,
``append``) and records every write to stdout (``print``, ``json.dump(x, sys.stdout)``,
``sys.stdout.write``) with its position, whether it is conditional, and whether it repeats
in a loop. Anything it does not understand becomes unknown, never an error.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass, field, replace

from argolint.analysis.json_shape import (
    HOLE,
    LIST,
    OBJECT,
    SCALAR,
    UNKNOWN_SHAPE,
    Shape,
    join,
    list_of,
    object_with,
    scalar,
    shape_of_text,
    shape_of_value,
    text,
)
from argolint.analysis.stdout_events import Write

_TAG = re.compile(r"\{\{.*?\}\}", re.S)
#: Stands for the characters of a ``{{...}}`` tag: a letter, so a masked tag is an identifier
#: in code, and known for what it is inside string literals (an unknown part of the text).
_TAG_CHAR = "\u01c2"
_MAX_CALL_DEPTH = 4
_MAX_STATEMENTS = 5000


@dataclass(frozen=True)
class PyValue:
    """A Python value as far as it is known: its kind, element/keys, literal text."""

    kind: str  # "list", "dict", "str", "num", "bool", "none", "json", "unknown"
    item: PyValue | None = None  # list: what all elements share
    keys: frozenset[str] | None = None  # dict: known keys
    closed: bool = False  # dict: no key outside ``some``
    some: frozenset[str] | None = None  # dict: keys at least one instance has
    text: str | None = None  # str: the text, HOLE where unknown
    json: Shape | None = None  # json: the shape of the JSON document this string holds


UNKNOWN_VALUE = PyValue("unknown")
#: Calls that do not change their arguments (everything else may: see ``call``).
_PURE = frozenset(
    (
        "print",
        "len",
        "str",
        "repr",
        "int",
        "float",
        "bool",
        "list",
        "sorted",
        "tuple",
        "set",
        "frozenset",
        "dict",
        "range",
        "enumerate",
        "zip",
        "map",
        "filter",
        "min",
        "max",
        "sum",
        "any",
        "all",
        "isinstance",
        "reversed",
        "abs",
        "round",
        "format",
        "json.dumps",
        "json.dump",
        "json.loads",
        "sys.stdout.write",
        "pprint",
        "pprint.pprint",
    )
)
_PURE_PREFIXES = ("os.path.", "math.", "?.")
_NUM, _STR, _BOOL, _NONE = PyValue("num"), PyValue("str"), PyValue("bool"), PyValue("none")


def _join(a: PyValue | None, b: PyValue | None) -> PyValue:
    if a is None or b is None:
        return UNKNOWN_VALUE
    if a == b:
        return a
    if a.kind != b.kind or a.kind == "unknown":
        return UNKNOWN_VALUE
    if a.kind == "list":
        return _extend(a, b)
    if a.kind == "dict":
        keys = a.keys & b.keys if a.keys is not None and b.keys is not None else None
        some = a.some | b.some if a.some is not None and b.some is not None else None
        return PyValue("dict", keys=keys, closed=a.closed and b.closed, some=some)
    if a.kind == "json":
        return PyValue("json", json=join(a.json, b.json))
    return PyValue(a.kind)


def _join_items(values: list[PyValue]) -> PyValue | None:
    item: PyValue | None = None
    for i, value in enumerate(values):
        item = value if i == 0 else _join(item, value)
    return item


def json_shape(value: PyValue) -> Shape:
    """The shape ``json.dumps(value)`` has."""
    kind = value.kind
    if kind == "list":
        return list_of(json_shape(value.item) if value.item else None)
    if kind == "dict":
        return Shape(OBJECT, keys=value.keys, closed=value.closed, some=value.some)
    if kind == "str" or kind == "json":
        return scalar("string")
    if kind == "num":
        return scalar("number")
    if kind == "bool":
        return scalar("boolean")
    if kind == "none":
        return scalar("null")
    return UNKNOWN_SHAPE


def printed_shape(value: PyValue) -> Shape:
    """The shape of what ``print(value)`` writes, read back as JSON."""
    kind = value.kind
    if kind == "json":
        return value.json or UNKNOWN_SHAPE
    if kind == "str":
        return shape_of_text(value.text) if value.text is not None else UNKNOWN_SHAPE
    if kind == "num":
        return scalar("number")
    if kind in ("bool", "none"):
        return text(f"a Python `{'None' if kind == 'none' else 'True/False'}`, not JSON")
    if kind == "list":
        item = value.item
        if item is None:
            return UNKNOWN_SHAPE if value.item is not None else Shape(LIST)
        if item.kind == "num":
            return list_of(scalar("number"))
        if item.kind == "list":  # `[[1, 2]]` is JSON as printed; `[['a']]` is not
            inner = printed_shape(item)
            return list_of(inner) if inner.kind == LIST else inner
        if item.kind in ("str", "dict", "bool", "none", "json"):
            return text("a Python list repr (quotes and `True`/`None` are not JSON)")
        return UNKNOWN_SHAPE
    if kind == "dict":
        if value.keys == frozenset() and value.closed:
            return object_with(frozenset(), closed=True)
        if value.keys:
            return text("a Python dict repr (single quotes are not JSON)")
        return UNKNOWN_SHAPE
    return UNKNOWN_SHAPE


@dataclass
class _Frame:
    env: dict[str, PyValue]
    conditional: bool = False
    repeated: bool = False
    returns: list[PyValue] = field(default_factory=list)


class _Interpreter:
    def __init__(self, tree: ast.Module, line_starts: list[int], lines: list[str]) -> None:
        self.writes: list[Write] = []
        self.functions: dict[str, ast.FunctionDef] = {}
        self.json_names = {"json"}  # names bound to the json module
        self.sys_names = {"sys"}
        self.dumps_names: set[str] = set()  # ``from json import dumps``
        self.dump_names: set[str] = set()
        self.stdout_names: set[str] = set()  # ``from sys import stdout``
        self.opaque = False  # something may print that we cannot see (os.system, ...)
        self.line_starts = line_starts
        self.lines = lines
        self.depth = 0
        self.budget = _MAX_STATEMENTS
        self.tree = tree
        #: Names whose value another name or container may also hold (Python shares dicts
        #: and lists by reference): a change made through them changes those too.
        self.shared: set[str] = set()

    # -- positions ----------------------------------------------------------------------
    def _offset(self, line: int, col_bytes: int) -> int:
        line_text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        col = len(line_text.encode("utf-8")[:col_bytes].decode("utf-8", "ignore"))
        return self.line_starts[line - 1] + col if 0 < line <= len(self.line_starts) else 0

    def _range(self, node: ast.AST) -> tuple[int, int]:
        start = self._offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        end = self._offset(end_line, end_col) if end_col is not None else start + 1
        return start, max(end, start + 1)

    # -- statements ---------------------------------------------------------------------
    def run(self) -> None:
        self.block(self.tree.body, _Frame({}))

    def block(self, body: list[ast.stmt], frame: _Frame) -> None:
        for stmt in body:
            self.budget -= 1
            if self.budget < 0:
                self.opaque = True
                return
            self.statement(stmt, frame)
            if isinstance(stmt, (ast.Return, ast.Raise)) or _is_exit(stmt):
                return

    def statement(self, stmt: ast.stmt, frame: _Frame) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == "json":
                    self.json_names.add(alias.asname or "json")
                elif alias.name == "sys":
                    self.sys_names.add(alias.asname or "sys")
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                bound = alias.asname or alias.name
                if stmt.module == "json" and alias.name == "dumps":
                    self.dumps_names.add(bound)
                elif stmt.module == "json" and alias.name == "dump":
                    self.dump_names.add(bound)
                elif stmt.module == "sys" and alias.name == "stdout":
                    self.stdout_names.add(bound)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt  # type: ignore[assignment]
        elif isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, frame)
            fresh = _is_fresh(stmt.value) and len(stmt.targets) == 1
            for target in stmt.targets:
                self.assign(target, value, frame, fresh)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, self.expr(stmt.value, frame), frame, _is_fresh(stmt.value))
        elif isinstance(stmt, ast.AugAssign):
            self.aug_assign(stmt, frame)
        elif isinstance(stmt, ast.Expr):
            self.expr(stmt.value, frame, statement=True)
        elif isinstance(stmt, ast.Return):
            frame.returns.append(self.expr(stmt.value, frame) if stmt.value else _NONE)
        elif isinstance(stmt, ast.If):
            if _is_main_guard(stmt.test):
                self.block(stmt.body, frame)
                return
            self.expr(stmt.test, frame)
            self.branches([stmt.body, stmt.orelse], frame)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            iterable = self.expr(stmt.iter, frame)
            inner = replace(frame, env=dict(frame.env), repeated=True, returns=frame.returns)
            self.assign(stmt.target, _element(iterable), inner)
            before = len(self.writes)
            self.block(stmt.body, inner)
            self.left_early(stmt.body, before, frame)
            self.merge_env(frame, [inner.env])
            if stmt.orelse:
                self.block(stmt.orelse, frame)
        elif isinstance(stmt, ast.While):
            self.expr(stmt.test, frame)
            inner = replace(frame, env=dict(frame.env), repeated=True, returns=frame.returns)
            before = len(self.writes)
            self.block(stmt.body, inner)
            self.left_early(stmt.body, before, frame)
            self.merge_env(frame, [inner.env])
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.expr(item.context_expr, frame)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, frame)
            self.block(stmt.body, frame)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.block(stmt.body, frame)  # type: ignore[attr-defined]
            handlers = [h.body for h in stmt.handlers]  # type: ignore[attr-defined]
            if handlers:
                self.branches([*handlers, []], frame)
            self.block(stmt.orelse, frame)  # type: ignore[attr-defined]
            self.block(stmt.finalbody, frame)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Subscript):
                    self.changed_in_place(target.value, frame)
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    holder = frame.env.get(target.value.id)
                    if holder is not None:
                        frame.env[target.value.id] = PyValue(holder.kind)
        elif isinstance(stmt, ast.Match):
            self.expr(stmt.subject, frame)
            self.branches([case.body for case in stmt.cases] + [[]], frame)

    def left_early(self, body: list[ast.stmt], since: int, frame: _Frame) -> None:
        """A loop that ``break``s, returns or exits (a retry loop: try, print, break) may
        print once rather than once per iteration: its writes since ``since`` are taken as
        conditional, not repeated."""
        if not _leaves_loop(body):
            return
        self.writes[since:] = [
            replace(w, conditional=True, repeated=frame.repeated) for w in self.writes[since:]
        ]

    def branches(self, bodies: list[list[ast.stmt]], frame: _Frame) -> None:
        envs = []
        for body in bodies:
            inner = replace(frame, env=dict(frame.env), conditional=True, returns=frame.returns)
            self.block(body, inner)
            envs.append(inner.env)
        self.merge_env(frame, envs)

    def merge_env(self, frame: _Frame, envs: list[dict[str, PyValue]]) -> None:
        names = {name for env in envs for name in env}
        for name in names:
            values = [env.get(name) for env in envs]
            if name in frame.env or any(v is None for v in values):
                values.append(frame.env.get(name))
            merged = values[0]
            for v in values[1:]:
                merged = _join(merged, v)
            frame.env[name] = merged if merged is not None else UNKNOWN_VALUE

    def assign(self, target: ast.expr, value: PyValue, frame: _Frame, fresh: bool = False) -> None:
        """Bind ``target``; ``fresh``: the value is a new literal no other name holds."""
        if isinstance(target, ast.Name):
            frame.env[target.id] = value
            if fresh:
                self.shared.discard(target.id)
            else:
                self.shared.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.assign(element, UNKNOWN_VALUE, frame)
        elif isinstance(target, ast.Subscript):
            self.changed_in_place(target.value, frame)
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            holder = frame.env.get(target.value.id)
            key = target.slice
            if holder is not None and holder.kind == "dict":
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    keys = (holder.keys or frozenset()) | {key.value}
                    some = (holder.some or frozenset()) | {key.value}
                    frame.env[target.value.id] = replace(holder, keys=keys, some=some)
                else:
                    frame.env[target.value.id] = PyValue("dict")

    def changed_in_place(self, holder: ast.expr, frame: _Frame) -> None:
        """``holder`` (a name, ``a[0]``, ``a.b``) is changed in place: when other names or
        containers may hold the same object, what is known of their dicts' keys is lost."""
        if isinstance(holder, ast.Name) and holder.id not in self.shared:
            return
        for name, value in frame.env.items():
            frame.env[name] = _forget_keys(value)

    def aug_assign(self, stmt: ast.AugAssign, frame: _Frame) -> None:
        if not isinstance(stmt.target, ast.Name):
            return
        old = frame.env.get(stmt.target.id, UNKNOWN_VALUE)
        new = self.expr(stmt.value, frame)
        if old.kind == "list" and isinstance(stmt.op, ast.Add) and new.kind == "list":
            frame.env[stmt.target.id] = _extend(old, new)
        elif old.kind in ("num", "str") and old.kind == new.kind:
            frame.env[stmt.target.id] = PyValue(old.kind)
        else:
            frame.env[stmt.target.id] = UNKNOWN_VALUE

    # -- expressions --------------------------------------------------------------------
    def expr(self, node: ast.expr | None, frame: _Frame, statement: bool = False) -> PyValue:
        if node is None:
            return UNKNOWN_VALUE
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return _BOOL
            if isinstance(v, (int, float)):
                return _NUM
            if v is None:
                return _NONE
            if isinstance(v, str):
                return PyValue("str", text=v.replace(_TAG_CHAR, HOLE))
            return UNKNOWN_VALUE
        if isinstance(node, ast.Name):
            self.shared.add(node.id)  # read: it may now be held elsewhere too
            return frame.env.get(node.id, UNKNOWN_VALUE)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return PyValue("list")
            values = [self.expr(e, frame) for e in node.elts]
            if not values:
                return PyValue("list", item=None, closed=True)
            return PyValue("list", item=_join_items(values))
        if isinstance(node, ast.Dict):
            keys: set[str] | None = set()
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    keys.add(key.value)  # type: ignore[union-attr]
                else:
                    keys = None
                    break
            for value in node.values:
                self.expr(value, frame)
            if keys is None:
                return PyValue("dict")
            return PyValue("dict", keys=frozenset(keys), closed=True, some=frozenset(keys))
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return PyValue("list", item=self.comprehension(node.generators, node.elt, frame))
        if isinstance(node, ast.DictComp):
            return PyValue("dict")
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    parts.append(part.value.replace(_TAG_CHAR, HOLE))
                else:
                    if isinstance(part, ast.FormattedValue):
                        self.expr(part.value, frame)
                    parts.append(HOLE)
            return PyValue("str", text="".join(parts))
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left, frame), self.expr(node.right, frame)
            if isinstance(node.op, ast.Add):
                if left.kind == "json" and right.kind == "str" and not (right.text or "x").strip():
                    return left  # ``json.dumps(x) + "\n"``: the same document
                if left.kind == right.kind == "list":
                    return _extend(left, right)
                if left.kind == right.kind == "str":
                    if left.text is not None and right.text is not None:
                        return PyValue("str", text=left.text + right.text)
                    return PyValue("str", text=(left.text or HOLE) + (right.text or HOLE))
            if left.kind == "str" and isinstance(node.op, ast.Mod):
                return PyValue("str", text=re.sub(r"%[-+ #0-9.]*[sdifrx]", HOLE, left.text or HOLE))
            if left.kind == right.kind == "num":
                return _NUM
            if left.kind == "list" and isinstance(node.op, ast.Mult):
                return left
            return UNKNOWN_VALUE
        if isinstance(node, ast.IfExp):
            self.expr(node.test, frame)
            return _join(self.expr(node.body, frame), self.expr(node.orelse, frame))
        if isinstance(node, ast.Subscript):
            holder = self.expr(node.value, frame)
            if holder.kind == "list":
                if isinstance(node.slice, ast.Slice):
                    return holder
                return holder.item or UNKNOWN_VALUE
            return UNKNOWN_VALUE
        if isinstance(node, ast.Call):
            return self.call(node, frame, statement)
        if isinstance(node, ast.Compare):
            return _BOOL
        if isinstance(node, ast.UnaryOp):
            inner = self.expr(node.operand, frame)
            return _BOOL if isinstance(node.op, ast.Not) else inner
        if isinstance(node, ast.Await):
            return self.expr(node.value, frame)
        return UNKNOWN_VALUE

    def comprehension(
        self, generators: list[ast.comprehension], element: ast.expr, frame: _Frame
    ) -> PyValue:
        inner = replace(frame, env=dict(frame.env), returns=[])
        for generator in generators:
            self.assign(generator.target, _element(self.expr(generator.iter, inner)), inner)
        return self.expr(element, inner)

    def call(self, node: ast.Call, frame: _Frame, statement: bool) -> PyValue:
        value = self._call(node, frame, statement)
        name = _dotted(node.func) or ""
        method = name.rpartition(".")[2] if isinstance(node.func, ast.Attribute) else ""
        if (
            name not in _PURE
            and not name.startswith(_PURE_PREFIXES)
            and method not in _KEEPS_ARGUMENTS
        ):
            # a function we do not follow may mutate what it is given
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if _may_hold_a_dict(arg, frame):
                    self.changed_in_place(arg, frame)
                if isinstance(arg, ast.Name) and arg.id in frame.env:
                    kind = frame.env[arg.id].kind
                    if kind in ("dict", "list"):
                        frame.env[arg.id] = PyValue(kind)
        return value

    def _call(self, node: ast.Call, frame: _Frame, statement: bool) -> PyValue:
        func = node.func
        args = [self.expr(a, frame) for a in node.args if not isinstance(a, ast.Starred)]
        name = _dotted(func)
        if name is None:
            return UNKNOWN_VALUE
        head, _, attr = name.rpartition(".")
        # stdout writes
        if name == "print":
            self.print_call(node, args, frame)
            return _NONE
        if self._is_json(head, attr, "dump") or (not head and attr in self.dump_names):
            if len(node.args) >= 2 and self.is_stdout(node.args[1]):
                self.write(node, json_shape(args[0]), frame)
            elif any(k.arg == "fp" and self.is_stdout(k.value) for k in node.keywords):
                self.write(node, json_shape(args[0]) if args else UNKNOWN_SHAPE, frame)
            return _NONE
        if attr == "write" and head and self.is_stdout_name(head):
            self.write(node, printed_shape(args[0]) if args else UNKNOWN_SHAPE, frame)
            return _NUM
        if name in ("pprint", "pprint.pprint"):
            self.write(node, text("a pprint repr, not JSON"), frame)
            return _NONE
        if name in (
            "os.system",
            "subprocess.run",
            "subprocess.call",
            "subprocess.check_call",
            "os.execvp",
            "os.execv",
            "subprocess.Popen",
        ):
            self.opaque = True
            return UNKNOWN_VALUE
        # values
        if self._is_json(head, attr, "dumps") or (not head and attr in self.dumps_names):
            return PyValue("json", json=json_shape(args[0]) if args else UNKNOWN_SHAPE)
        if self._is_json(head, attr, "loads"):
            if args and args[0].kind == "str" and args[0].text and HOLE not in args[0].text:
                try:
                    return _from_json(json.loads(args[0].text))
                except ValueError:
                    return UNKNOWN_VALUE
            if args and args[0].kind == "json":
                return _from_shape(args[0].json)
            return UNKNOWN_VALUE
        if not head:
            return self.builtin(attr, node, args, frame)
        receiver = self.receiver(func.value, frame) if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Attribute) and attr in _MUTATORS:
            self.changed_in_place(func.value, frame)
        if receiver is not None and receiver.kind == "list" and isinstance(func, ast.Attribute):
            target = func.value
            if attr in ("append", "insert") and args and isinstance(target, ast.Name):
                frame.env[target.id] = _extend(receiver, PyValue("list", item=args[-1]))
                return _NONE
            if attr == "extend" and args and isinstance(target, ast.Name):
                frame.env[target.id] = _extend(
                    receiver, args[0] if args[0].kind == "list" else PyValue("list")
                )
                return _NONE
            if attr in ("copy",):
                return receiver
            if attr in ("sort", "reverse"):
                return _NONE
            if attr == "pop":
                return receiver.item or UNKNOWN_VALUE
        if receiver is not None and receiver.kind == "dict" and isinstance(func, ast.Attribute):
            target = func.value
            if attr in ("keys", "values", "items"):
                return PyValue("list", item=PyValue("str") if attr == "keys" else None)
            if attr == "copy":
                return receiver
            if attr == "get":
                return UNKNOWN_VALUE
            if isinstance(target, ast.Name):  # update, setdefault, pop, ...: keys change
                frame.env[target.id] = PyValue(
                    "dict", keys=receiver.keys if attr in ("update", "setdefault") else None
                )
                return UNKNOWN_VALUE
        if receiver is not None and receiver.kind == "str":
            if attr in ("split", "splitlines", "rsplit"):
                return PyValue("list", item=PyValue("str"))
            if attr in (
                "join",
                "strip",
                "lower",
                "upper",
                "format",
                "replace",
                "rstrip",
                "lstrip",
                "title",
            ):
                return PyValue("str")
        if name.startswith(("random.rand", "math.")):
            return _NUM
        return UNKNOWN_VALUE

    def receiver(self, node: ast.expr, frame: _Frame) -> PyValue:
        """The object a method is called on: calling a method does not share it."""
        if isinstance(node, ast.Name):
            return frame.env.get(node.id, UNKNOWN_VALUE)
        return self.expr(node, frame)

    def builtin(self, name: str, node: ast.Call, args: list[PyValue], frame: _Frame) -> PyValue:
        if name in self.functions and name not in frame.env:
            return self.call_local(name, frame)
        if name == "range":
            return PyValue("list", item=_NUM)
        if name in ("list", "sorted", "tuple", "set", "reversed", "frozenset"):
            if not args:
                return PyValue("list", closed=True)
            source = args[0]
            if source.kind == "list":
                return PyValue("list", item=source.item)
            if source.kind == "str":
                return PyValue("list", item=PyValue("str"))
            if source.kind == "dict":
                return PyValue("list", item=PyValue("str"))
            return PyValue("list")
        if name in ("map", "filter", "zip", "enumerate"):
            if name == "filter" and len(args) == 2 and args[1].kind == "list":
                return PyValue("list", item=args[1].item)
            function = node.args[0] if node.args else None
            if name == "map" and len(args) == 2 and isinstance(function, ast.Lambda):
                inner = replace(frame, env=dict(frame.env), returns=[])
                params = function.args.args
                if params:
                    inner.env[params[0].arg] = _element(args[1])
                return PyValue("list", item=self.expr(function.body, inner))
            return PyValue("list")
        if name == "dict":
            if node.keywords and all(k.arg for k in node.keywords) and not node.args:
                keys = frozenset(k.arg for k in node.keywords if k.arg)
                return PyValue("dict", keys=keys, closed=True, some=keys)
            return PyValue("dict")
        if name in ("str", "repr", "input", "chr", "format", "hex"):
            return PyValue("str")
        if name in ("int", "float", "len", "sum", "abs", "round", "ord", "min", "max"):
            return (
                _NUM
                if name not in ("min", "max") or not args
                else (args[0].item or UNKNOWN_VALUE if args[0].kind == "list" else args[0])
            )
        if name in ("bool", "isinstance", "any", "all", "callable", "hasattr"):
            return _BOOL
        if name in ("exec", "eval", "__import__"):
            self.opaque = True
        return UNKNOWN_VALUE

    def call_local(self, name: str, frame: _Frame) -> PyValue:
        function = self.functions[name]
        if self.depth >= _MAX_CALL_DEPTH:
            self.opaque = True
            return UNKNOWN_VALUE
        self.depth += 1
        try:
            inner = _Frame(
                env=dict(frame.env), conditional=frame.conditional, repeated=frame.repeated
            )
            for arg in function.args.args + function.args.kwonlyargs:
                inner.env[arg.arg] = UNKNOWN_VALUE
            self.block(function.body, inner)
        finally:
            self.depth -= 1
        return _join_items(inner.returns) or _NONE

    def print_call(self, node: ast.Call, args: list[PyValue], frame: _Frame) -> None:
        for keyword in node.keywords:
            if keyword.arg == "file" and not self.is_stdout(keyword.value):
                return  # stderr or a file
        if not node.args:
            return  # a bare newline: whitespace, harmless to JSON
        if len(args) != 1 or any(isinstance(a, ast.Starred) for a in node.args):
            self.write(
                node,
                UNKNOWN_SHAPE
                if any(a.kind == "unknown" for a in args)
                else text("several values separated by spaces"),
                frame,
            )
            return
        value = args[0]
        if value.kind == "str" and value.text is not None and not value.text.strip():
            return
        self.write(node, printed_shape(value), frame)

    def write(self, node: ast.AST, shape: Shape, frame: _Frame) -> None:
        start, end = self._range(node)
        self.writes.append(Write(shape, start, end, frame.conditional, frame.repeated))

    def is_stdout(self, node: ast.expr) -> bool:
        name = _dotted(node)
        return name is not None and self.is_stdout_name(name)

    def is_stdout_name(self, name: str) -> bool:
        head, _, attr = name.rpartition(".")
        if not head:
            return attr in self.stdout_names
        return attr == "stdout" and head in self.sys_names

    def _is_json(self, head: str, attr: str, fn: str) -> bool:
        return attr == fn and head in self.json_names


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call) and parts:  # ``"x".join(...)``, ``foo().bar``
        return "?." + ".".join(reversed(parts))
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and parts:
        return "?." + ".".join(reversed(parts))
    return None


#: Methods that change a dict's keys in place.
_MUTATORS = frozenset(("update", "setdefault", "pop", "popitem", "clear", "__setitem__"))


#: Container methods that store or read their arguments without changing them.
_KEEPS_ARGUMENTS = frozenset(
    ("append", "insert", "extend", "update", "setdefault", "get", "index", "count", "remove")
)


def _is_fresh(node: ast.expr) -> bool:
    """A value no other name can hold yet: a literal, a comprehension, ``dict(...)``, a
    copy (``x.copy()``, ``copy.deepcopy(x)``: its own keys are its own)."""
    if isinstance(node, (ast.Dict, ast.List, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in ("dict", "list")
    return isinstance(func, ast.Attribute) and func.attr in ("copy", "deepcopy")


def _may_hold_a_dict(node: ast.expr, frame: _Frame) -> bool:
    """Whether a function given ``node`` could change the keys of a dict through it."""
    if isinstance(node, ast.Name):
        value = frame.env.get(node.id)
        return value is None or value.kind in ("dict", "list", "unknown")
    return isinstance(node, (ast.Subscript, ast.Attribute))


def _forget_keys(value: PyValue) -> PyValue:
    """``value`` with nothing known of the keys of the dicts it holds."""
    if value.kind == "list" and value.item is not None:
        return replace(value, item=_forget_keys(value.item))
    if value.kind == "dict" and value.keys is not None:
        return PyValue("dict")
    return value


def _element(iterable: PyValue) -> PyValue:
    if iterable.kind == "list":
        return iterable.item or UNKNOWN_VALUE
    if iterable.kind == "str":
        return PyValue("str")
    return UNKNOWN_VALUE


def _extend(base: PyValue, more: PyValue) -> PyValue:
    """``base`` after elements of ``more`` are added (an empty literal takes their shape)."""
    if base.item is None and base.closed:
        return PyValue("list", item=more.item)
    if more.item is None and more.closed:
        return base
    return PyValue("list", item=_join(base.item, more.item) if base.item and more.item else None)


def _from_json(value: object) -> PyValue:
    return _from_shape(shape_of_value(value))


def _from_shape(shape: Shape | None) -> PyValue:
    if shape is None:
        return UNKNOWN_VALUE
    if shape.kind == LIST:
        return PyValue("list", item=_from_shape(shape.item) if shape.item else None)
    if shape.kind == OBJECT:
        return PyValue("dict", keys=shape.keys, closed=shape.closed, some=shape.some)
    if shape.kind == SCALAR:
        return {"string": PyValue("str"), "number": _NUM, "boolean": _BOOL, "null": _NONE}.get(
            shape.scalar or "", UNKNOWN_VALUE
        )
    return UNKNOWN_VALUE


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _leaves_loop(body: list[ast.stmt]) -> bool:
    """Whether a loop body holds a ``break``, ``return`` or exit of its own (not one of a
    nested loop or function)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Return)) or (
            isinstance(node, ast.stmt) and _is_exit(node)
        ):
            return True
        if isinstance(
            node,
            (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef),
        ):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
                stack.extend(node.orelse)  # a nested loop's own break is not ours
            continue
        stack.extend(n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt))
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for handler in node.handlers:  # type: ignore[attr-defined]
                stack.extend(handler.body)
        if isinstance(node, ast.Match):
            for case in node.cases:
                stack.extend(case.body)
    return False


def _is_exit(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    return _dotted(stmt.value.func) in ("sys.exit", "exit", "quit", "os._exit")


def mask_tags(source: str) -> str:
    """``{{...}}`` tags replaced by an identifier of the same length, so that the script
    parses and every offset still matches the template's text."""
    return _TAG.sub(lambda m: _TAG_CHAR * len(m.group(0)), source)


def python_writes(source: str) -> tuple[list[Write], bool] | None:
    """The stdout writes of a Python script and whether some output is invisible to us
    (``os.system``, ``exec``); None when the script does not parse."""
    masked = mask_tags(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning about the user's code is not ours
            tree = ast.parse(masked)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = masked.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    interpreter = _Interpreter(tree, starts, lines)
    try:
        interpreter.run()
    except RecursionError:
        return None
    return interpreter.writes, interpreter.opaque
