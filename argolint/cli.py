"""The command line: options → configuration → run → report → exit code.

Exit codes: 0, no finding at or above ``--fail-on``; 1, some; 2, a usage error, a missing
path, or an internal error (its traceback goes to stderr).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from argolint import __version__

if TYPE_CHECKING:
    from argolint.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _csv(values: tuple[str, ...]) -> set[str]:
    return {part.strip() for value in values for part in value.split(",") if part.strip()}


def _list_rules(fmt: str) -> str:
    from argolint import rules

    table = rules.all_rules().values()
    if fmt == "json":
        import json

        listing = [
            {
                "id": r.id,
                "severity": str(r.severity),
                "category": r.category,
                "summary": r.summary,
                "default_enabled": r.default_enabled,
                "options": r.options,
            }
            for r in table
        ]
        return json.dumps(listing, indent=2, default=str) + "\n"
    rows = [
        (r.id, str(r.severity), r.category, r.summary + ("" if r.default_enabled else " (opt-in)"))
        for r in table
    ]
    width = max(len(r[0]) for r in rows)
    cat_width = max(len(r[2]) for r in rows)
    return "".join(
        f"{rid:<{width}}  {sev:<7}  {cat:<{cat_width}}  {summary}\n"
        for rid, sev, cat, summary in rows
    )


def _colour_by_default() -> bool:
    """On a terminal, unless ``NO_COLOR`` is set; ``FORCE_COLOR`` asks for it elsewhere (CI
    logs that render ANSI colours, such as GitHub Actions)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _with_config_text(sources: dict[str, str], config: Config) -> dict[str, str]:
    """The run's sources plus the configuration's text when it has findings, so reports show
    the offending line of the configuration too."""
    if not (config.problems and config.path) or config.path in sources:
        return sources
    try:
        text = Path(config.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return sources
    return {**sources, config.path: text}


def _fail(message: str) -> NoReturn:
    """A problem with how argolint was called: a message on stderr and exit code 2."""
    click.echo(f"argolint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a
    report and an interrupted run leaves the previous report intact."""
    import tempfile

    directory = path.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, _mode_for(path))  # mkstemp's 0600 would hide the report
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would give: the existing file's, or
    0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _explain(rule_id: str) -> str:
    """The rule's catalogue page, with its default severity and category under the title."""
    from argolint import catalogue, rules

    rule = rules.get(rule_id)
    if rule is None:
        close = _closest(rule_id, list(rules.all_rules()))
        hint = f" Did you mean `{close}`?" if close else ""
        raise click.UsageError(f"unknown rule `{rule_id}`.{hint} See --list-rules.")
    facts = f"Severity: {rule.severity} · category: {rule.category}"
    if not rule.default_enabled:
        facts += " · opt-in (enable with --extend-select)"
    if rule.options:
        facts += " · options: " + ", ".join(f"`{name}`" for name in rule.options)
    page = catalogue.page(rule_id)
    if page is None:
        return f"# {rule.id}\n\n{facts}\n\n{rule.summary}\n"
    title, _, rest = page.body.partition("\n")
    return f"{title}\n\n{facts}\n{rest}"


def _closest(word: str, candidates: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, candidates, n=1)
    return match[0] if match else None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"], case_sensitive=False),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to a file (atomically) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"], case_sensitive=False),
    help="Lowest severity that makes the exit code 1 (default: error).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Configuration file (default: .argolint.yaml or pyproject.toml, found upwards).",
)
@click.option("--select", multiple=True, help="Only these rules or categories (comma-separated).")
@click.option("--extend-select", multiple=True, help="Also these (opt-in) rules.")
@click.option("--ignore", multiple=True, help="Skip these rules (comma-separated).")
@click.option(
    "--stdin-filename",
    help="Path to report for input read from `-` (alone, it implies `-`).",
)
@click.option(
    "--workflow-defaults",
    type=click.Path(exists=True, dir_okay=False),
    help="The controller's workflowDefaults (YAML), merged into each Workflow.",
)
@click.option("--argo-version", help="Argo version whose schema to check against.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour text output (default: on a terminal; NO_COLOR and FORCE_COLOR are honoured).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for many files (default: one per core).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Result cache folder (default: .argolint_cache beside the configuration, or here).",
)
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="RULE", help="Print a rule's documentation and exit.")
@click.option(
    "--suggest-rbac",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Print a least-privilege ServiceAccount, Role and RoleBinding for the workflows "
    "in FILE, and exit.",
)
@click.version_option(__version__, prog_name="argolint")
def main(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str | None,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    stdin_filename: str | None,
    workflow_defaults: str | None,
    argo_version: str | None,
    color: bool | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    list_rules: bool,
    explain: str | None,
    suggest_rbac: str | None,
) -> None:
    """Lint Argo Workflows manifests: files, directories, or `-` for standard input."""
    if list_rules:
        click.echo(_list_rules(fmt), nl=False)
        sys.exit(EXIT_OK)
    if explain:
        click.echo(_explain(explain))
        sys.exit(EXIT_OK)
    if suggest_rbac:
        click.echo(_suggest_rbac(Path(suggest_rbac)), nl=False)
        sys.exit(EXIT_OK)

    from argolint.batch import lint
    from argolint.cache import CACHE_DIR
    from argolint.config import ConfigError, load_config, set_fail_on
    from argolint.engine import Input, inputs_from_paths
    from argolint.report import renderer
    from argolint.source.loader import read_bounded

    try:
        config = load_config(Path(config_path) if config_path else None)
    except ConfigError as err:
        _fail(str(err))
    if select:
        config.select = _csv(select)
    config.extend_select |= _csv(extend_select)
    config.ignore |= _csv(ignore)
    if fail_on:
        set_fail_on(config, fail_on, lambda msg: None)
    if argo_version:
        config.argo_version = argo_version
    if workflow_defaults:
        config.workflow_defaults = _read_workflow_defaults(Path(workflow_defaults))
    _check_rule_ids(config)

    if stdin_filename and not paths:  # an editor piping its buffer in
        paths = ("-",)
    missing = [raw for raw in paths if raw != "-" and not os.path.lexists(raw)]
    if missing:
        _fail("".join(f"path does not exist: {raw}\n" for raw in missing).rstrip("\n"))
    fs_paths = [Path(raw) for raw in paths or (".",) if raw != "-"]
    inputs = inputs_from_paths(fs_paths)
    if "-" in paths:
        name = stdin_filename or "<stdin>"
        data, size = read_bounded(sys.stdin.buffer, config.limits.max_file_size)
        inputs.append(Input(name, data, size=size))
    if not inputs:  # not an error (a hook may run on a tree without manifests), but say so
        where = ", ".join(str(p) for p in fs_paths)
        click.echo(f"argolint: warning: no .yaml, .yml or .json file under {where}", err=True)

    if not no_cache and cache_dir is None:
        cache_dir = config.base_dir / CACHE_DIR
    try:
        result = lint(
            inputs,
            config,
            jobs=jobs,
            cache_dir=None if no_cache else cache_dir,
            process_ends=True,
        )
        if color is None:
            color = output is None and _colour_by_default()
        text = renderer(fmt)(
            result, sources=_with_config_text(result.sources, config), colour=color
        )
    except Exception:  # the engine guards each stage; this is the last line of defence
        import traceback

        click.echo(f"argolint: internal error:\n{traceback.format_exc()}", err=True)
        sys.exit(EXIT_ERROR)
    if output:
        try:
            _write_atomically(Path(output), text)
        except OSError as err:
            _fail(f"cannot write {output}: {err.strerror or err}")
    else:
        click.echo(text, nl=False, color=bool(color))

    for finding in result.findings:
        if finding.rule == "internal-error" and finding.details:
            click.echo(
                f"argolint: internal error in {finding.path}: {finding.message}\n"
                f"{finding.details.rstrip()}\n"
                "Please report this at https://github.com/argolint/argolint/issues",
                err=True,
            )
    if result.internal_error:
        sys.exit(EXIT_ERROR)
    threshold = config.fail_on
    if threshold is not None and any(f.severity >= threshold for f in result.findings):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _suggest_rbac(path: Path) -> str:
    from argolint.analysis.least_privilege import suggest_rbac
    from argolint.config import Config, ConfigError, load_config
    from argolint.project import Project, load_context
    from argolint.source.loader import load_bytes

    loaded = load_bytes(path.read_bytes(), str(path))
    if not loaded.documents and loaded.findings:
        raise click.UsageError(f"--suggest-rbac {path}: {loaded.findings[0].message}")
    # Templates it runs from the repository's other files (templateRef) count too.
    try:
        config = load_config(None)
    except ConfigError:
        config = Config()
    project = Project(loaded.documents, load_context([path], config))
    return suggest_rbac(loaded.documents, project)


def _check_rule_ids(config: object) -> None:
    from argolint import rules

    known = set(rules.all_rules())
    categories = {r.category for r in rules.all_rules().values()}
    for attr in ("select", "extend_select", "ignore"):
        for rid in getattr(config, attr) or ():
            if rid not in known and rid not in categories and rid != "all":
                close = _closest(rid, sorted(known))
                hint = f" (did you mean `{close}`?)" if close else ""
                raise click.UsageError(f"unknown rule `{rid}` in --{attr.replace('_', '-')}{hint}")


def _read_workflow_defaults(path: Path) -> dict:
    from argolint.source.loader import load_bytes

    loaded = load_bytes(path.read_bytes(), str(path))
    if loaded.findings or not loaded.documents:
        raise click.UsageError(f"--workflow-defaults {path}: not readable YAML")
    data = loaded.documents[0].to_python()
    # Accept the ConfigMap itself, its `workflowDefaults` block, or the bare block.
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"].get("workflowDefaults", data)
        if isinstance(data, str):
            inner = load_bytes(data.encode(), str(path))
            data = inner.documents[0].to_python() if inner.documents else {}
    if isinstance(data, dict) and "workflowDefaults" in data:
        data = data["workflowDefaults"]
    if not isinstance(data, dict):
        raise click.UsageError(f"--workflow-defaults {path}: expected a mapping")
    return data
