"""Private APIs of dependencies: used in ``private_apis`` only, each still
there and doing what reportgen relies on, and refused loudly outside the
versions it was checked against.

The first part reads every module of reportgen (``ast``) and fails on a
private name of a library used anywhere but ``private_apis.py``. The rest
checks each private API against the installed library with a tiny real use:
when a dependency changes one, a test here fails and says which."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import tomllib
from base64 import b64encode
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from reportgen.core import private_apis
from reportgen.core.errors import ReportgenError
from reportgen.core.private_apis import (
    BOX_ATTRIBUTES,
    BOX_CLASSES,
    CHECKED,
    SANDBOX_HOOKS,
    STYLE_KEYS,
    DependencyChanged,
    author_stylesheets_kept,
    box_classes,
    check_version,
    element_being_laid_out,
    font_subsets_shared,
    laid_out_page_box,
    modules_being_imported,
    pass_first_argument_as,
    passes_first_argument,
    placed_box,
    pool_processes,
    shaped_runs,
    with_leading_text,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "reportgen"
HOME = PACKAGE / "core" / "private_apis.py"

# --- the guard: private names of libraries only in private_apis.py ---------------------

# Names with a leading underscore that their library documents as public.
PUBLIC_UNDERSCORED = frozenset({"_exit", "_replace", "_asdict", "_fields", "_make"})
# What private_apis reaches, by name: used anywhere else, they are flagged even
# where they have no underscore or reportgen has a name like them.
COVERED = frozenset({
    "_page_box", "_box", "_processes", "_initializing", "_parse", "jinja_pass_arg", "pango_layout",
    "original_get_image_from_uri", "SVGImage", "characters_until_regex",
})  # fmt: skip
# WeasyPrint's public API (its api_reference.rst); anything else of it is private,
# underscore or not.
WEASYPRINT_PUBLIC = frozenset({
    "weasyprint", "weasyprint.HTML", "weasyprint.CSS", "weasyprint.Attachment",
    "weasyprint.DEFAULT_OPTIONS", "weasyprint.Document", "weasyprint.Page",
    "weasyprint.VERSION", "weasyprint.__version__",
    "weasyprint.document", "weasyprint.document.Document",
    "weasyprint.document.DocumentMetadata", "weasyprint.document.Page",
    "weasyprint.urls", "weasyprint.urls.URLFetcher", "weasyprint.urls.URLFetcherResponse",
    "weasyprint.urls.FatalURLFetchingError",
    "weasyprint.text.fonts", "weasyprint.text.fonts.FontConfiguration",
    "weasyprint.css.counters", "weasyprint.css.counters.CounterStyle",
})  # fmt: skip
# mammoth's, from its README: the functions, and the element types its
# get_descendants_of_type example names (documents.Run) and their kin.
MAMMOTH_PUBLIC = frozenset({
    "mammoth", "mammoth.convert_to_html", "mammoth.convert_to_markdown",
    "mammoth.extract_raw_text", "mammoth.images", "mammoth.images.img_element",
    "mammoth.images.data_uri", "mammoth.transforms", "mammoth.transforms.paragraph",
    "mammoth.transforms.run", "mammoth.transforms.get_descendants",
    "mammoth.transforms.get_descendants_of_type", "mammoth.documents",
    "mammoth.documents.Paragraph", "mammoth.documents.Run", "mammoth.documents.Image",
})  # fmt: skip
# Libraries whose private parts have no underscore: only these names are theirs to use.
PUBLIC_API = {"weasyprint": WEASYPRINT_PUBLIC, "mammoth": MAMMOTH_PUBLIC}
PROBES = ("getattr", "hasattr", "setattr", "delattr")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@functools.cache
def _nodes(source: str) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(ast.parse(source)))


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@functools.cache
def own_names() -> frozenset[str]:
    """Every underscored name reportgen itself defines (functions, classes,
    methods, module and class variables, attributes it sets, aliases)."""
    names: set[str] = set()
    for path in _modules():
        for node in _nodes(path.read_text("utf-8")):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name | ast.arg):
                names.add(node.id if isinstance(node, ast.Name) else node.arg)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
    return frozenset(n for n in names if _private(n))


def _imported(nodes: tuple[ast.AST, ...]) -> dict[str, str]:
    """What each name bound by an import of a library stands for (dotted)."""
    bound: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return {k: v for k, v in bound.items() if not v.startswith("reportgen")}


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *parts]
    return None


def _resolve(dotted: str) -> Any:
    """The object a dotted name of a library stands for, or ``None``."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            found = getattr(found, part, None)
        return found
    return None


def private_uses(source: str, where: str, own: frozenset[str]) -> list[str]:
    """``where:line: what`` for each use of a library's private name in ``source``."""
    nodes = _nodes(source)
    imported = _imported(nodes)
    found: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{where}:{getattr(node, 'lineno', 0)}: {what}")

    def foreign(name: str) -> bool:
        return name in COVERED or (
            _private(name) and name not in own and name not in PUBLIC_UNDERSCORED
        )

    inner = {id(n.value) for n in nodes if isinstance(n, ast.Attribute)}
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
            if isinstance(node, ast.ImportFrom) and node.level:
                continue  # reportgen's own
            for alias in node.names:
                full = f"{module}.{alias.name}" if module else alias.name
                top = full.split(".")[0]
                if top == "reportgen":
                    continue
                if any(_private(part) or part in COVERED for part in full.split(".")):
                    flag(node, f"imports {full}")
                elif top in PUBLIC_API and full not in PUBLIC_API[top]:
                    flag(node, f"imports {full} (not {top}'s public API)")
        elif isinstance(node, ast.Attribute) and id(node) not in inner:
            chain = _dotted(node)
            top = imported[chain[0]].split(".")[0] if chain and chain[0] in imported else ""
            if chain and top in PUBLIC_API:
                full = ".".join([imported[chain[0]], *chain[1:]])
                if full not in PUBLIC_API[top]:
                    flag(node, f"uses {full} (not {top}'s public API)")
                    continue
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("self", "cls"):
                if node.attr in COVERED:
                    flag(node, f"uses {base.id}.{node.attr}")
                continue
            if foreign(node.attr):
                flag(node, f"uses {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in PROBES and len(node.args) >= 2:
                name = node.args[1]
                if (
                    isinstance(name, ast.Constant)
                    and isinstance(name.value, str)
                    and foreign(name.value)
                ):
                    flag(node, f"{node.func.id}(..., {name.value!r})")
        elif isinstance(node, ast.ClassDef):
            methods = [
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and (_private(item.name) or item.name in COVERED)
            ]
            bases = [_dotted(b) for b in node.bases] if methods else []
            library = [
                _resolve(".".join([imported[b[0]], *b[1:]]))
                for b in bases
                if b and b[0] in imported
            ]
            for name in methods:
                if any(hasattr(base, name) for base in library if base is not None):
                    flag(node, f"{node.name}.{name} overrides a library's private method")
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def test_no_module_but_private_apis_uses_a_private_name_of_a_library() -> None:
    own = own_names()
    found = [
        problem
        for path in _modules()
        if path != HOME
        for problem in private_uses(path.read_text("utf-8"), str(path.relative_to(ROOT)), own)
    ]
    assert found == [], "move these into src/reportgen/core/private_apis.py:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "def f(page):\n    return page._page_box",
        "def f(pool):\n    return getattr(pool, '_processes', None)",
        "def f(child):\n    return getattr(child, '_box', None)",
        "def f(run):\n    return hasattr(run, 'jinja_pass_arg')",
        "def f(box):\n    return box.pango_layout",
        "def f(x):\n    return x._a_name_no_module_of_reportgen_defines",
        "from weasyprint.images import SVGImage",
        "from weasyprint.text.ffi import ffi",
        "from weasyprint.formatting_structure import boxes",
        "from weasyprint.logger import LOGGER",
        "import weasyprint.document\nweasyprint.document.original_get_image_from_uri = None",
        "import weasyprint\nx = weasyprint.images",
        "from concurrent.futures import process\nx = process._python_exit",
        "from mammoth import documents\nx = documents.Text('x')",
        "import mammoth.documents\nx = mammoth.documents.run([])",
        "from jinja2.sandbox import ImmutableSandboxedEnvironment\n"
        "class S(ImmutableSandboxedEnvironment):\n"
        "    def _parse(self, source, name, filename):\n"
        "        return super()._parse(source, name, filename)",
    ],
)
def test_the_guard_finds_a_private_use(source: str) -> None:
    assert private_uses(source, "m.py", own_names()), source


@pytest.mark.parametrize(
    "source",
    [
        "class A:\n    def __init__(self):\n        self._x = 1\n"
        "    def f(self):\n        return self._x",
        "import os\nos._exit(1)",
        "from reportgen.typesetting.pdf import _fetcher",
        "from weasyprint import HTML, CSS\nfrom weasyprint.urls import URLFetcher",
        "from weasyprint.text.fonts import FontConfiguration",
        "import mammoth\nfrom mammoth import documents, transforms\n"
        "x = transforms.get_descendants_of_type(None, documents.Image)\n"
        "mammoth.convert_to_html(None, convert_image=mammoth.images.img_element(None))",
        "import weasyprint\nweasyprint.HTML(string='')",
        "from reportgen.core.private_apis import laid_out_page_box",
        "from collections import namedtuple\nP = namedtuple('P', 'a')\nP(1)._replace(a=2)",
        "def f(other):\n    return other._data",  # reportgen's own (settings)
    ],
)
def test_the_guard_lets_public_and_own_names_be(source: str) -> None:
    assert private_uses(source, "m.py", own_names()) == []


def test_every_private_name_private_apis_uses_is_covered() -> None:
    """The guard's list stays true: each underscored name private_apis
    reads of another object is one the guard flags elsewhere."""
    tree = ast.parse(HOME.read_text("utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and _private(node.attr)
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    } | {
        node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id in PROBES and isinstance(node.args[1], ast.Constant)
        and (_private(node.args[1].value) or node.args[1].value in COVERED)
    }  # fmt: skip
    assert used and used <= COVERED, used - COVERED


# --- versions ------------------------------------------------------------------------


def test_the_installed_dependencies_are_the_ones_checked() -> None:
    for dependency in CHECKED:
        assert check_version(dependency) == private_apis.installed_version(dependency)


@pytest.mark.parametrize(
    ("dependency", "version"),
    [("weasyprint", "71.0"), ("weasyprint", "69.2"), ("jinja2", "3.1.4"),
     ("jinja2", "3.2.0"), ("python", "3.15.0"), ("weasyprint", "not a version")],
)  # fmt: skip
def test_a_version_outside_the_range_is_refused_naming_all(dependency: str, version: str) -> None:
    with pytest.raises(DependencyChanged) as raised:
        check_version(dependency, version)
    message = str(raised.value)
    assert f"{dependency} {version} is installed" in message
    assert f"{dependency}{CHECKED[dependency].versions}" in message
    assert CHECKED[dependency].names[0] in message
    assert isinstance(raised.value, ReportgenError) and raised.value.exit_code == 1


def test_pyproject_allows_only_the_versions_checked() -> None:
    """pip never installs a version private_apis would refuse."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {Requirement(r).name.lower(): Requirement(r) for r in project["dependencies"]}
    for dependency, checked in CHECKED.items():
        if checked.distribution == "python":
            continue
        assert str(declared[checked.distribution].specifier) == str(
            Requirement(f"x{checked.versions}").specifier
        ), dependency


def test_the_first_use_refuses_another_weasyprint(tmp_path: Path) -> None:
    """A process whose WeasyPrint says it is 71.0 (its metadata found first
    on the path) is refused at the first private use, with the message."""
    _pretend_installed(tmp_path, "weasyprint", "71.0")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from reportgen.core.private_apis import DependencyChanged, laid_out_page_box\n"
        "try:\n    laid_out_page_box(object())\n"
        "except DependencyChanged as exc:\n    print(exc)\n"
    )
    ran = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "weasyprint 71.0 is installed" in ran.stdout
    assert "weasyprint>=70,<71" in ran.stdout


def _pretend_installed(folder: Path, distribution: str, version: str) -> Path:
    """A folder whose metadata says ``distribution`` is ``version``: first on
    the path, it is what importlib.metadata finds."""
    info = folder / f"{distribution}-{version}.dist-info"
    info.mkdir(parents=True)
    text = f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n"
    (info / "METADATA").write_text(text)
    return folder


@pytest.mark.parametrize(("distribution", "version"), [("mammoth", "2.0"), ("jinja2", "3.2.0")])
def test_check_stops_at_a_dependency_outside_its_range_exit_1(
    tmp_path: Path, distribution: str, version: str
) -> None:
    """Not the report's problem (a Word file mammoth "cannot read", a theme's
    "template error", exit 2), but the installation's: one line, exit 1."""
    import shutil

    shutil.copytree(ROOT / "examples" / "uk-food-bank", tmp_path / "ngo")
    fake = _pretend_installed(tmp_path / "site", distribution, version)
    path = os.pathsep.join([str(fake), str(PACKAGE.parent)])
    ran = subprocess.run([sys.executable, "-m", "reportgen", "check", "ngo/fy2024"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": path})  # fmt: skip
    assert ran.returncode == 1, ran.stderr
    wanted = CHECKED[distribution].versions
    assert ran.stderr.startswith(f"reportgen: error: {distribution} {version} is installed")
    assert f"{distribution}{wanted}" in ran.stderr
    assert "Traceback" not in ran.stderr and "cannot read" not in ran.stderr
    assert "template error" not in ran.stderr


def test_importing_private_apis_loads_no_library() -> None:
    code = (
        "import sys, reportgen.core.private_apis\n"
        "print(sorted(m for m in ('weasyprint', 'jinja2', 'pango') if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert ran.stdout.strip() == "[]", ran.stderr


# --- WeasyPrint ----------------------------------------------------------------------

BAD_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 a b"><rect width="5"/></svg>'
PAGE = """<html lang="en"><head><style>
@page { size: A6; margin: 15mm; @top-center { content: "Running head" } }
.away { position: absolute; top: 5mm; left: 5mm }
</style></head><body>
<h1>A heading</h1><p>Some words in a paragraph, and one no font has: \U0010fffd.</p>
<table><tr><td>A cell</td></tr></table>
<p><img alt="a box" src="data:image/svg+xml;base64,{svg}"></p>
<div class="away">Placed</div>
</body></html>"""


def _document() -> Any:
    import weasyprint

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>'
    html = PAGE.replace("{svg}", b64encode(svg).decode())
    return weasyprint.HTML(string=html).render()


def _tree(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _tree(child)


def test_a_pages_box_tree_is_there_with_what_preflight_reads() -> None:
    boxes = box_classes()
    for name in BOX_CLASSES:
        assert isinstance(getattr(boxes, name, None), type), f"WeasyPrint has no {name} now"
    (page,) = _document().pages
    root = laid_out_page_box(page)
    assert isinstance(root, boxes.PageBox)
    every = list(_tree(root))
    kinds = {
        name: [b for b in every if isinstance(b, getattr(boxes, name))] for name in BOX_CLASSES
    }
    for name in ("TextBox", "LineBox", "ReplacedBox", "TableCellBox", "MarginBox", "BlockBox"):
        assert kinds[name], f"no {name} in the layout of a page that has one"
    # Where each attribute is read: the page, text, tables' wrappers, any box.
    owners = {
        "content_box_y": root, "margin_width": root, "margin_height": root,
        "page_type": root, "bleed": root, "pango_layout": kinds["TextBox"][0],
        "text": kinds["TextBox"][0], "baseline": kinds["TextBox"][0],
        "is_table_wrapper": kinds["BlockBox"][0],
    }  # fmt: skip
    parents = [kinds["LineBox"][0], kinds["TableCellBox"][0], kinds["ReplacedBox"][0]]
    for name in BOX_ATTRIBUTES:
        for box in [owners[name]] if name in owners else parents:
            assert hasattr(box, name), f"{type(box).__name__}.{name} is gone"
    assert set(root.bleed) == {"top", "right", "bottom", "left"}
    assert hasattr(root.page_type, "name") and hasattr(root.page_type, "blank")
    style = kinds["TextBox"][0].style
    for key in STYLE_KEYS:
        assert style[key] is not None or key == "lang", key  # a KeyError says which
    assert hasattr(style["color"], "alpha") and hasattr(style["background_color"], "alpha")
    assert all(len(kind) == 2 for kind in style["background_image"])  # (kind, image) pairs


def test_an_absolutely_placed_box_is_found_behind_its_placeholder() -> None:
    boxes = box_classes()
    (page,) = _document().pages
    placeholders = [
        child
        for box in _tree(laid_out_page_box(page))
        for child in getattr(box, "children", ())
        if not isinstance(child, boxes.Box)
    ]
    assert placeholders, "no placeholder for the absolutely positioned element"
    placed = [placed_box(p) for p in placeholders]
    assert all(isinstance(p, boxes.Box) for p in placed)
    assert "Placed" in [" ".join(p.element.itertext()).strip() for p in placed]
    assert placed_box(object()) is None


def test_a_text_box_is_shaped_again_into_named_faces_and_missing_glyphs() -> None:
    boxes = box_classes()
    (page,) = _document().pages
    texts = [b for b in _tree(laid_out_page_box(page)) if isinstance(b, boxes.TextBox)]
    runs = [run for box in texts for run in shaped_runs(box)]
    assert runs
    for face, text, unknown in runs:
        family, _, rest = face.rpartition(" ")
        assert family and (rest.isdigit() or rest == "italic"), face
        assert isinstance(text, str) and isinstance(unknown, list)
    assert "\U0010fffd" in [char for _, _, unknown in runs for char in unknown]
    drawn = "".join(text for _, text, _ in runs)
    assert "Some words" in drawn


def test_the_element_being_laid_out_is_found_in_a_failure() -> None:
    import weasyprint

    html = (f'<p><img alt="bad" src="data:image/svg+xml;base64,{b64encode(BAD_SVG).decode()}">'
            "</p>")  # fmt: skip
    with pytest.raises(ValueError) as raised:
        weasyprint.HTML(string=html).render().write_pdf()
    element = element_being_laid_out(raised.value)
    assert element is not None and element.tag == "img" and element.get("alt") == "bad"
    assert element_being_laid_out(ValueError("raised elsewhere")) is None


@pytest.mark.parametrize("library", sorted(PUBLIC_API))
def test_the_public_names_the_guard_allows_are_there(library: str) -> None:
    for name in sorted(PUBLIC_API[library]):
        assert _resolve(name) is not None, f"{name} is gone from {library}"


# --- Jinja2 --------------------------------------------------------------------------


def test_a_filters_first_argument_is_known_and_passed_on() -> None:
    import jinja2

    def plain(value: str) -> str:
        return value

    @jinja2.pass_context
    def with_context(context: Any, value: str) -> str:
        return f"{type(context).__name__}:{value}"

    assert passes_first_argument(with_context) and not passes_first_argument(plain)

    def wrapper(*args: Any) -> str:
        return with_context(*args)

    pass_first_argument_as(wrapper, with_context)
    assert passes_first_argument(wrapper)
    environment = jinja2.Environment()
    environment.filters["f"] = wrapper
    assert environment.from_string("{{ 'x' | f }}").render() == "Context:x"


def test_the_sandbox_hooks_are_jinja2s_and_ours_run() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from reportgen.typesetting.sandbox import MAX_DEPTH, LimitExceeded, Sandbox, bounded

    expected = {
        "call": ["__self", "__context", "__obj", "*args", "**kwargs"],
        "wrap_str_format": ["self", "value"],
        "compile": ["self", "source", "name", "filename", "raw", "defer_init"],
    }
    assert set(expected) == set(SANDBOX_HOOKS)
    for hook, parameters in expected.items():
        theirs = getattr(ImmutableSandboxedEnvironment, hook, None)
        assert theirs is not None, f"Jinja2's sandbox has no {hook} now"
        found = inspect.signature(theirs).parameters.values()
        stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
        shown = [
            stars.get(p.kind, "") + p.name.removeprefix("_SandboxedEnvironment") for p in found
        ]  # fmt: skip  (__self is mangled)
        assert shown == parameters, (hook, shown)
        assert hook in Sandbox.__dict__, f"reportgen's Sandbox no longer overrides {hook}"
    sandbox = Sandbox()
    compiled = sandbox.compile("{% for i in x %}{{ i ~ i }}{% endfor %}", raw=True)
    assert "_reportgen_counted" in compiled and "_reportgen_bounded" in compiled
    with pytest.raises(LimitExceeded, match="width"):  # wrap_str_format
        bounded(sandbox.from_string("{{ '{:5000}'.format(1) }}").generate())
    with pytest.raises(LimitExceeded, match=f"nested more than {MAX_DEPTH}"):  # call
        bounded(sandbox.from_string(
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").generate())  # fmt: skip


# --- mammoth -------------------------------------------------------------------------


def test_a_paragraph_gets_a_leading_run_of_text_in_a_real_conversion(tmp_path: Path) -> None:
    import docx
    import mammoth
    from mammoth import transforms

    document = docx.Document()
    document.add_paragraph("First paragraph.")
    document.add_paragraph("Second paragraph.")
    path = tmp_path / "two.docx"
    document.save(str(path))
    marks = iter(("[one] ", "[two] "))
    with path.open("rb") as handle:
        result = mammoth.convert_to_html(handle, transform_document=transforms.paragraph(
            lambda paragraph: with_leading_text(paragraph, next(marks))))  # fmt: skip
    assert result.value == "<p>[one] First paragraph.</p><p>[two] Second paragraph.</p>"


# --- Python --------------------------------------------------------------------------


def test_a_module_halfway_imported_is_found_until_its_import_ends(tmp_path: Path) -> None:
    name = f"halfway_{os.getpid()}_{time.monotonic_ns()}"
    (tmp_path / f"{name}.py").write_text(
        "import pathlib, time\n"
        "here = pathlib.Path(__file__).parent\n"
        "(here / 'entered').touch()\n"
        "while not (here / 'released').exists():\n"
        "    time.sleep(0.005)\n",
        "utf-8",
    )
    sys.path.insert(0, str(tmp_path))
    importing = threading.Thread(target=importlib.import_module, args=(name,))
    try:
        importing.start()
        while not (tmp_path / "entered").exists():
            importing.join(0.005)
        assert name in modules_being_imported()
    finally:
        (tmp_path / "released").touch()
        importing.join()
        sys.path.remove(str(tmp_path))
    assert name in sys.modules
    assert name not in modules_being_imported()


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_a_pools_processes_are_found_and_forgotten_by_shutdown() -> None:
    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))
    try:
        started = pool.submit(_sleep, 0.0).result(timeout=60)
        processes = pool_processes(pool)
        assert processes and all(callable(p.kill) and callable(p.join) for p in processes)
        assert started in [p.pid for p in processes]
        assert all(p.is_alive() for p in processes)
    finally:
        pool.shutdown(wait=True)
    assert pool_processes(pool) == []  # why concurrency takes them first


def test_a_font_subset_is_made_once_and_the_pdf_is_the_same() -> None:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # one for the documents, as a letters' worker has

    def pdf(text: str) -> bytes:
        page = f'<p lang="ja" style="font-family: \'Noto Sans CJK JP\'">{text}</p>'
        return HTML(string=page).write_pdf(pdf_identifier=b"0" * 32, font_config=fonts)

    alone = pdf("寄付者様、ありがとうございます。")
    with font_subsets_shared() as shared:
        first = pdf("寄付者様、ありがとうございます。")
        again = pdf("寄付者様、ありがとうございます。")
        other = pdf("別の寄付者様")  # other glyphs: a subset of its own
    assert first == again == alone  # the very bytes HarfBuzz makes
    assert other != alone
    assert shared.reused >= 1 and shared.made >= 2, shared
    # The face's file read once for the three documents, the same bytes given again.
    assert shared.files_read == 1 and shared.files_kept == 2, shared
    made = shared.made
    pdf("別の寄付者様")  # the block has ended: nothing is kept
    assert shared.made == made


# A page with each tokenizer state that looks for a run of characters:
# text, character references, quoted and unquoted attributes, comments,
# RCDATA, raw text, script data, SVG in foreign content and CDATA.
TRICKY_PAGE = (
    "<!DOCTYPE html><html lang=en><head><title>a &amp; b</title>"
    "<style>p > a { color: red }</style><script>if (a < b) {}</script></head>"
    "<body><!-- a -- comment --><p class='x y' data-v=unquoted&amp;z id=\"p&lt;1\">"
    "Text &copy; &#x41; &unknown; <b>bold</b>\r\n"
    "<textarea>a <b> c</textarea><svg viewBox='0 0 1 1'><![CDATA[x < y]]>"
    "<foreignObject><p>in</p></foreignObject></svg><img src=data:image/png;base64,AAAA==>"
    "<table><tr><td>cell<td>two</table></body></html>"
)
PARSE = (
    "import sys, xml.etree.ElementTree as ET, tinyhtml5\n"
    "from tinyhtml5 import inputstream\n"
    "from reportgen.core.private_apis import html_parser_patterns_kept\n"
    "page = sys.stdin.read()\n"
    "def tree():\n"
    "    return ET.tostring(tinyhtml5.parse(page, namespace_html_elements=False))\n"
    "before = tree()\n"
    "html_parser_patterns_kept()\n"
    "after, again = tree(), tree()\n"
    "keys = list(inputstream.characters_until_regex)\n"
    "print(before == after == again, len(keys) > 3,"
    " all(not hasattr(k[0], 'pattern') for k in keys))\n"
)


def test_the_html_parser_keeps_its_patterns_and_parses_the_same() -> None:
    """tinyhtml5's patterns kept under the characters looked up (its own
    stored them under the pattern, so never found them): the same tree,
    before and after, on a page that reaches each of its character runs."""
    done = subprocess.run(
        [sys.executable, "-c", PARSE], input=TRICKY_PAGE, capture_output=True, text=True,
        check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert done.stdout.split() == ["True", "True", "True"], done.stdout + done.stderr


def test_a_pages_stylesheets_are_parsed_once_and_the_layout_is_the_same() -> None:
    """A page laid out again in a block (page sharing's rounds) takes its
    stylesheets and each element's rules as the first layout found them; a
    user stylesheet still applies each time, and the pages are those of a
    layout without the block."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    page = (
        "<style>@counter-style ticks { system: cyclic; symbols: '+'; }"
        " section { break-before: page } li { list-style: ticks }</style>"
        "<section id=a><p>one</p></section><section id=b><ul><li>two</ul></section>"
    )
    moved = "section#b { break-before: auto !important }"

    def pdfs(html: HTML, **same: object) -> list[bytes]:
        first = html.render(**same)
        again = html.render(stylesheets=[CSS(string=moved)], font_config=first.font_config,
                            **same)  # fmt: skip
        assert (len(first.pages), len(again.pages)) == (2, 1)
        return [d.write_pdf(pdf_identifier=b"0" * 32) for d in (first, again)]

    alone = pdfs(HTML(string=page))
    with author_stylesheets_kept() as kept:
        within = pdfs(HTML(string=page), counter_style=CounterStyle(), color_profiles={})
    assert within == alone
    assert (kept.parsed, kept.reused) == (1, 1), vars(kept)
    assert kept.rematched >= kept.matched > 3
    HTML(string=page).render()  # the block has ended: nothing is kept
    assert (kept.parsed, kept.reused) == (1, 1)
