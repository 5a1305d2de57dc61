"""No deadline threshold and no kind code is written in two places: the source is read as text (kind
codes) and as Python (threshold constants)."""

import ast
import re
from pathlib import Path

from flags import rules
from plans.deadlines import DeadlineKind

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "visits", "plans", "flags", "claims", "meetings", "audit", "config")


def sources(*suffixes):
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path
    for path in (ROOT / "templates").rglob("*.html"):
        yield path


def test_each_kind_code_is_written_once():
    texts = {path: path.read_text(encoding="utf-8") for path in sources(".py", ".html", ".js")}
    for code in [*DeadlineKind.values, *rules.MONTH_KINDS]:
        literal = re.compile(rf"""["']{re.escape(code)}["']""")
        places = [(str(path.relative_to(ROOT)), len(literal.findall(text))) for path, text in texts.items()]
        places = [(path, n) for path, n in places if n]
        assert sum(n for _path, n in places) == 1, (code, places)


def test_old_kind_codes_are_gone():
    old = ("review_due", "application_prep", "window_ending")
    for path in sources(".py", ".html"):
        text = path.read_text(encoding="utf-8")
        for code in old:
            assert not re.search(rf"""["']{code}["']""", text), (code, path)


def module_constants():
    """(module path, NAME, value) of every module-level integer constant of the apps."""
    for path in sources(".py"):
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                if isinstance(node.value.value, int) and not isinstance(node.value.value, bool):
                    for target in node.targets:
                        if isinstance(target, ast.Name) and target.id.isupper():
                            yield str(path.relative_to(ROOT)), target.id, node.value.value


DEADLINE_WORDS = ("REVIEW_DUE", "RENEWAL", "APPLICATION", "HANDOVER", "WINDOW_ENDING", "SHARE")


def test_deadline_thresholds_live_in_the_engine_only():
    for path, name, _value in module_constants():
        if any(word in name for word in DEADLINE_WORDS):
            assert path == "plans/deadlines.py", (path, name)


def test_no_day_or_month_constant_is_defined_twice():
    seen = {}
    for path, name, _value in module_constants():
        if re.search(r"DAYS?|MONTHS?|DAY$", name):
            assert name not in seen, (name, seen.get(name), path)
            seen[name] = path
