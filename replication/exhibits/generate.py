"""Text generated from the exhibit registry: the Makefile rules (exhibits.mk) and the README's
"List of tables and programs". tests/test_exhibits.py checks that both files hold this text, so
the registry is the one hand-kept list of exhibits, inputs and outputs."""

from __future__ import annotations

import re
from itertools import groupby

from ..paths import PROJECT_ROOT
from . import ALL_RAW, EXHIBITS, Exhibit

MAKEFILE = PROJECT_ROOT / "exhibits.mk"
README = PROJECT_ROOT / "README.md"
README_START = "<!-- EXHIBITS:START (generated from the exhibit registry: python -m replication.exhibits readme-table --write) -->"
README_END = "<!-- EXHIBITS:END -->"
_MAKE_DIRS = (("results/tables/", "$(TAB)/"), ("results/figures/", "$(FIG)/"), ("results/", "$(RESULTS)/"),
              ("data/processed/", "$(PROC)/"))
AGGREGATES = {"tables": "TABLES", "figures": "FIGURES", "paragraph": "PARAGRAPH", "report": "REPORT",
              "panel": "PANEL"}


def _make_path(relative: str) -> str:
    for prefix, var in _MAKE_DIRS:
        if relative.startswith(prefix):
            return var + relative[len(prefix):]
    raise ValueError(relative)


def _prerequisites(e: Exhibit) -> list[str]:
    out = [e.program]
    out += ["$(RAW_FILES)" if f == ALL_RAW else f"$(RAW)/{f}" for f in e.raw]
    out += [f"$(RAW)/{f}" for f in e.authored]
    out += ["$(OUT_build_panel)"] if e.panel else []
    out += [f"$(OUT_{name})" for name in e.after]
    return out + ["$(PKG)"]


def makefile() -> str:
    lines = ["# Generated from the exhibit registry (replication/exhibits/__init__.py) by",
             "# `python -m replication.exhibits makefile --write`; do not edit (tests/test_exhibits.py checks it).",
             "# Per exhibit: OUT_<name> (its outputs), its make target (## text for make help) and the rule for its",
             "# outputs, whose recipe only queues the exhibit; the Makefile builds the queue in one process.", ""]
    for e in EXHIBITS:
        lines += [f"OUT_{e.name} := " + " ".join(_make_path(p) for p in e.outputs),
                  f"{e.target}: $(OUT_{e.name}) ## {e.description}",
                  "\t@$(call flush_if_last,$@)",
                  f"$(OUT_{e.name}) &: " + " ".join(_prerequisites(e)) + " | $(VENV_OK)",
                  f"\t@$(call enqueue,{e.name})", ""]
    lines.append("EXHIBIT_TARGETS := " + " ".join(e.target for e in EXHIBITS))
    for group, var in AGGREGATES.items():
        lines.append(f"{var} := " + " ".join(f"$(OUT_{e.name})" for e in EXHIBITS if e.group == group))
    return "\n".join(lines) + "\n"


def _brace(paths: list[str]) -> str:
    """results/tables/t.csv, results/tables/t.tex -> results/tables/t.{csv,tex} (the README's shorthand)."""
    parts = []
    for stem, group in groupby(paths, key=lambda p: p.rsplit(".", 1)[0]):
        exts = [p.rsplit(".", 1)[1] for p in group]
        parts.append(f"`{stem}.{exts[0]}`" if len(exts) == 1 else f"`{stem}.{{{','.join(exts)}}}`")
    return ", ".join(parts)


def readme_table() -> str:
    rows = ["| exhibit | reproduces | program | output | make target |", "|---|---|---|---|---|"]
    for e in EXHIBITS:
        rows.append(f"| {e.description} | {e.paper} | `{e.program}` (code: `replication/exhibits/{e.name}.py`) | "
                    f"{_brace(list(e.outputs))} | `make {e.target}` |")
    rows.append("| Manifest of every output's sha256 | provenance | `Makefile` (`manifest`) | "
                "`results/MANIFEST.sha256` | `make manifest` |")
    return "\n".join(rows) + "\n"


def readme_section(text: str) -> str:
    """The generated block as it stands in ``text`` (the README)."""
    m = re.search(re.escape(README_START) + r"\n(.*?)" + re.escape(README_END), text, flags=re.S)
    if m is None:
        raise ValueError(f"README.md has no block between {README_START} and {README_END}")
    return m.group(1)


def write_makefile() -> None:
    from .._io import write_text

    write_text(MAKEFILE, makefile())


def write_readme_table() -> None:
    from .._io import write_text

    text = README.read_text(encoding="utf-8")
    readme_section(text)  # the markers must be there
    new = re.sub(re.escape(README_START) + r"\n.*?" + re.escape(README_END),
                 lambda m: README_START + "\n" + readme_table() + README_END, text, flags=re.S)
    write_text(README, new)
