"""Every document of a run, plus the project's other Argo and RBAC manifests, indexed so
that references across files resolve (``templateRef``, ``workflowTemplateRef``, bindings).

The project's other manifests are found under the nearest directory holding ``.git`` above
each given file (or the configured ``template_paths``). A pre-commit run lints one or two
files, so this must stay cheap: only ``*.yaml``/``*.yml`` files are read, and only those whose
bytes mention a kind that references can point at are parsed (a byte search, no YAML), plus
what the given files' findings read (``Wanted``): a template's callers, and every workflow
when a binding is linted. So a file linted alone gets the findings it gets in a run over the
whole repository.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from argolint.source.files import read_bounded_path
from argolint.source.loader import KNOWN_KINDS, RBAC_KINDS, Document, load_bytes

if TYPE_CHECKING:
    from argolint.config import Config
    from argolint.model import Manifest

T = TypeVar("T")

#: Kinds that other documents refer to by name; only files mentioning one are parsed.
_CONTEXT_KIND = re.compile(  # at the top of a document, or of an item of a `List`
    rb"^[ \t]*(?:-[ \t]+)?kind:[ \t]*[\"']?(?:WorkflowTemplate|ClusterWorkflowTemplate"
    rb"|ServiceAccount|Role|ClusterRole|RoleBinding|ClusterRoleBinding|WorkflowEventBinding)\b",
    re.MULTILINE,
)
_SKIP_DIRS = frozenset(
    (".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "vendor")
)
#: Give up walking a tree after this many files: a project root that is really a home
#: directory must not turn a one-file pre-commit run into a crawl.
MAX_CONTEXT_FILES = 20_000


class LazyContext:
    """The project's other manifests (``context_sources``), parsed only when asked for: the
    files that mention a template's name when that template is looked up, all of them when
    a rule reads every document. A pre-commit run on one workflow parses the templates it
    uses, not every template of the repository."""

    def __init__(self, sources: Iterable[tuple[Path, bytes]], config: Config) -> None:
        self._pending = list(sources)
        self._config = config
        self._asked: set[str] = set()  # names already searched for: nothing more to take

    def __bool__(self) -> bool:
        return bool(self._pending)

    def take_named(self, name: str) -> list[Document]:
        """The documents of the files not yet parsed whose bytes hold ``name`` (a name is
        written in its file, or in an anchor of it). Each name is searched for once: a
        project resolves the same template for every step that calls it."""
        if name in self._asked:
            return []
        self._asked.add(name)
        return self._take_mentioning([name])

    def take_kinds(self, kinds: Iterable[str]) -> list[Document]:
        """The documents of the files not yet parsed that may hold one of ``kinds``."""
        return self._take_mentioning(kinds)

    def take_all(self) -> list[Document]:
        return self._take(self._pending)

    def _take_mentioning(self, words: Iterable[str]) -> list[Document]:
        """Files whose bytes hold one of ``words`` (UTF-16/32 files cannot be searched)."""
        keys = [word.encode("utf-8", "surrogatepass") for word in words]
        return self._take(
            [s for s in self._pending if s[1].startswith(WIDE_BOMS) or any(k in s[1] for k in keys)]
        )

    def _take(self, chosen: list[tuple[Path, bytes]]) -> list[Document]:
        if not chosen:
            return []
        taken = {id(source) for source in chosen}
        self._pending = [s for s in self._pending if id(s) not in taken]
        return parse_context(chosen, self._config)


#: Byte order marks of UTF-16/32, whose text a byte search cannot see.
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
BINDING_KINDS = frozenset(("RoleBinding", "ClusterRoleBinding"))


class Project:
    def __init__(
        self,
        targets: Iterable[Document],
        context: Iterable[Document] = (),
        lazy: LazyContext | None = None,
    ) -> None:
        self.targets: list[Document] = list(targets)  # documents whose findings are reported
        self.context: list[Document] = list(context)  # found elsewhere, only for references
        self._lazy = lazy  # more context, parsed on demand
        self._by_kind: dict[str, list[Document]] = defaultdict(list)
        self._manifests: dict[int, Manifest] = {}
        self._named: dict[tuple[str, str], list[Document]] | None = None
        self._analyses: dict[Callable[[Project], object], object] = {}
        self._documents: list[Document] = []
        self._index()

    def _index(self) -> None:
        # In path order: whichever way a run is split between processes, the documents of
        # another file come in the same order (a binding lists its users the same way).
        self._documents = sorted((*self.targets, *self.context), key=lambda d: (d.path, d.position))
        self._by_kind = defaultdict(list)
        for doc in self._documents:
            if doc.kind:
                self._by_kind[doc.kind].append(doc)
        self._named = None

    def _add_context(self, docs: list[Document]) -> None:
        if docs:
            self.context.extend(docs)
            self._index()

    def _load_all(self) -> None:
        """Every document of the lazy context, before a rule reads them all."""
        if self._lazy:
            self._add_context(self._lazy.take_all())

    @property
    def documents(self) -> list[Document]:
        """Every document, targets and context, in path order."""
        self._load_all()
        return self._documents

    def analysis(self, build: Callable[[Project], T]) -> T:
        """``build(self)``, computed once per project (the RBAC index, template callers).

        Kept on the project rather than in a module-level weak dictionary: a weak key's
        entry is dropped only by a callback during a collection, so its value (holding the
        documents) would survive that collection and, in a pool worker, be frozen for good."""
        try:
            return self._analyses[build]  # type: ignore[return-value]
        except KeyError:
            value = self._analyses[build] = build(self)
            return value

    def of_kind(self, *kinds: str) -> list[Document]:
        if self._lazy:
            self._add_context(self._lazy.take_kinds(kinds))
        return [doc for kind in kinds for doc in self._by_kind.get(kind, ())]

    def workflow_template(
        self, name: str, cluster_scope: bool = False, namespace: str | None = None
    ) -> Document | None:
        """The (Cluster)WorkflowTemplate called ``name``; for a namespaced one, a template in
        ``namespace`` wins over one in another namespace or with none stated."""
        kind = "ClusterWorkflowTemplate" if cluster_scope else "WorkflowTemplate"
        if self._lazy:
            self._add_context(self._lazy.take_named(name))
        found = self._templates_named().get((kind, name))
        if not found:
            return None
        if namespace and not cluster_scope:
            return next((d for d in found if d.namespace == namespace), found[0])
        return found[0]

    def _templates_named(self) -> dict[tuple[str, str], list[Document]]:
        """(kind, name) -> the templates of that name, in path order: built once, so a
        lookup costs the same in a project of ten templates or ten thousand, and the same
        file wins among duplicates whichever way a run is split between processes."""
        if self._named is None:
            named: dict[tuple[str, str], list[Document]] = defaultdict(list)
            for kind in ("WorkflowTemplate", "ClusterWorkflowTemplate"):
                for doc in self._by_kind.get(kind, ()):
                    name = doc.name
                    if name is not None:
                        named[(kind, name)].append(doc)
            for docs in named.values():
                docs.sort(key=lambda d: (d.path, d.position))
            self._named = dict(named)
        return self._named

    def manifest(self, doc: Document) -> Manifest:
        """The model of any document of the project, built once."""
        from argolint.model import Manifest

        manifest = self._manifests.get(id(doc))
        if manifest is None:
            manifest = self._manifests[id(doc)] = Manifest(doc)
        return manifest

    @property
    def rbac(self) -> list[Document]:
        return self.of_kind(*sorted(RBAC_KINDS))


def project_roots(files: Iterable[Path], config: Config) -> list[Path]:
    """Where to look for the project's other manifests: the configured ``template_paths``
    (relative to the configuration file), else the nearest ``.git`` directory's parent above
    each file. No root (no git, no configuration) means no context: never crawl blindly."""
    if config.template_paths:
        return [(config.base_dir / p).resolve() for p in config.template_paths]
    roots: list[Path] = []
    seen_dirs: dict[Path, Path | None] = {}
    resolved_dirs: dict[Path, Path] = {}  # many files share a folder: resolve it once
    for file in files:
        if file.is_symlink():
            directory = file.resolve().parent
        else:
            directory = resolved_dirs.get(file.parent) or resolved_dirs.setdefault(
                file.parent, file.parent.resolve()
            )
        root = _git_root(directory, seen_dirs)
        if root is not None and root not in roots:
            roots.append(root)
    return roots


def _git_root(directory: Path, memo: dict[Path, Path | None]) -> Path | None:
    if directory in memo:
        return memo[directory]
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            memo[directory] = candidate
            return candidate
    memo[directory] = None
    return None


def candidate_files(roots: Iterable[Path], exclude: set[Path]) -> Iterator[Path]:
    """YAML files under the roots (a root may also be one file), minus ``exclude``.

    Roots are resolved once; paths below them are joined, not resolved one by one (that
    costs a system call per path component and dominated a one-file run in a big
    repository). Symbolic links to directories are not followed.
    """
    count = 0
    excluded = {str(p) for p in exclude}
    seen: set[str] = set()
    for root in roots:
        root = root.resolve()
        if root.is_file():
            walk: Iterable[tuple[str, list[str], list[str]]] = [(str(root.parent), [], [root.name])]
        else:
            walk = os.walk(root)
        for dirpath, dirnames, filenames in walk:
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
            for name in sorted(filenames):
                if not name.endswith((".yaml", ".yml")):
                    continue
                path = os.path.join(dirpath, name)
                if path in excluded or path in seen:
                    continue
                seen.add(path)
                count += 1
                if count > MAX_CONTEXT_FILES:
                    return
                yield Path(path)


#: A call of a WorkflowTemplate (``templateRef``, ``workflowTemplateRef``): the callers of a
#: template supply its parameters.
CALLER = re.compile(rb"emplateRef")
#: An Argo document, written at the top of a document or of a `List` item.
_ARGO_DOCUMENT = re.compile(
    rb"argoproj\.io/|^[ \t]*(?:-[ \t]+)?kind:[ \t]*[\"']?"
    rb"(?:Workflow|CronWorkflow|WorkflowTemplate|ClusterWorkflowTemplate)\b",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Wanted:
    """Which of the project's other manifests the given files' findings read, besides the
    kinds they reference: a template's callers (the parameters they supply), or, for a
    binding, every workflow (the ones that run as its accounts)."""

    callers: bool = False
    workflows: bool = False

    @classmethod
    def by_kinds(cls, kinds: Iterable[str | None]) -> Wanted:
        kinds = set(kinds)
        return cls(
            callers=bool(kinds & {"WorkflowTemplate", "ClusterWorkflowTemplate"}),
            workflows=bool(kinds & BINDING_KINDS),
        )

    @classmethod
    def by_bytes(cls, datas: Iterable[bytes | None]) -> Wanted:
        """The same from raw bytes, over-approximated (the cache keys on it unparsed)."""
        callers = workflows = False
        for data in datas:
            if data is None:
                continue
            callers = callers or _TEMPLATE_KIND.search(data) is not None
            workflows = workflows or BINDING_KIND.search(data) is not None
        return cls(callers, workflows)

    def wants(self, data: bytes) -> bool:
        return bool(
            _CONTEXT_KIND.search(data)
            or (self.callers and CALLER.search(data))
            or (self.workflows and _ARGO_DOCUMENT.search(data))
        )


_TEMPLATE_KIND = re.compile(rb"""kind["']?\s*:\s*["']?(?:Cluster)?WorkflowTemplate\b""")
#: A RoleBinding or ClusterRoleBinding, as a `kind:` value anywhere in the raw bytes.
BINDING_KIND = re.compile(rb"""kind["']?\s*:\s*["']?(?:Cluster)?RoleBinding\b""")


def load_context(
    files: Iterable[Path], config: Config, wanted: Wanted = Wanted()
) -> list[Document]:
    """The project's other WorkflowTemplates, ClusterWorkflowTemplates and RBAC manifests,
    and what ``wanted`` adds (never the given files themselves), for references only."""
    return parse_context(context_sources(files, config, wanted), config)


def context_sources(
    files: Iterable[Path], config: Config, wanted: Wanted = Wanted()
) -> list[tuple[Path, bytes]]:
    """The files ``load_context`` parses, with their bytes: a byte search, no YAML (the
    result cache keys on these without parsing them)."""
    files = list(files)
    roots = project_roots(files, config)
    if not roots:
        return []
    exclude = {f.resolve() for f in files}
    out: list[tuple[Path, bytes]] = []
    limit = config.limits.max_file_size
    for path in candidate_files(roots, exclude):
        try:
            data, size = read_bounded_path(path, limit)
        except OSError:
            continue
        if size > limit:
            continue
        if wanted.wants(data):
            out.append((path, data))
    return out


def parse_context(sources: Iterable[tuple[Path, bytes]], config: Config) -> list[Document]:
    docs: list[Document] = []
    for path, data in sources:
        try:
            loaded = load_bytes(data, _display(path), config.limits)
        except Exception:  # a broken neighbour must never break the run on the given files
            continue
        docs.extend(d for d in loaded.documents if d.kind in KNOWN_KINDS)
    return docs


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
