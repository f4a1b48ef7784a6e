#!/usr/bin/env python3
#
# Copyright (c) 2026 The llmap authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
#
"""Regenerate llmap's model catalog, include/llmap/detail/catalog_data.ipp, from a copy of the
models.dev catalog (github.com/anomalyco/models.dev, MIT licence).

    python3 scripts/generate-catalog.py PATH/TO/models.dev --commit SHA [--output FILE]

PATH/TO/models.dev is the folder that holds `providers/` and `models/`. The build never reads
it: the generated file is committed, and this script is how it is refreshed when providers
ship new models. The output is deterministic (sorted by id, no timestamps), so a refresh's
diff shows only what changed in the data.

What it does:
- reads every `providers/<folder>/models/**/*.toml`; the model id is the path below `models/`
  without `.toml` (it may hold `/`, e.g. OpenRouter's `anthropic/claude-sonnet-4.5`);
- merges in the facts of its `base_model` (`models/<family>/<model>.toml`): tables are merged
  key by key, the provider file winning, then the `base_model_omit` dot paths are removed;
- maps the provider folder to llmap's registry name (FOLDER_TO_PROVIDER below) and keeps only
  the providers of llmap's default registry, whose names it reads from
  include/llmap/default_registry.hpp and include/llmap/providers/*.hpp (never a copied list);
  OpenAI's models are listed under both `openai` and `openai-chat`, the two registry names
  that serve them;
- writes one C++ initializer per model, sorted by id, for include/llmap/catalog.hpp.
"""

import argparse
import math
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "include" / "llmap" / "detail" / "catalog_data.ipp"

# models.dev provider folders whose name differs from llmap's registry name. A folder not
# listed keeps its name; either way, a name absent from the default registry is dropped.
FOLDER_TO_PROVIDER = {
    "google": ["gemini"],
    "togetherai": ["together"],
    "fireworks-ai": ["fireworks"],
    "lmstudio": ["lm-studio"],
    "ollama-cloud": ["ollama"],  # hosted Ollama: llmap's ollama provider pointed at ollama.com
    "openai": ["openai", "openai-chat"],  # the Responses API and Chat Completions
}

PRICE_KEYS = ["input", "output", "cache_read", "cache_write", "reasoning"]
# Spellings of a price outside models.dev's schema, seen in the data: the same price.
PRICE_SYNONYMS = {"cached_input": "cache_read"}


def registry_names():
    """The run-time names of the providers of llmap::default_registry, read from the headers."""
    reg = (ROOT / "include/llmap/default_registry.hpp").read_text()
    m = re.search(r"using\s+default_registry\s*=\s*registry<([^>]*)>", reg)
    if not m:
        sys.exit("generate-catalog: cannot find `using default_registry = registry<...>`")
    types = [t.strip() for t in m.group(1).split(",")]
    # Each `static constexpr fixed_string name = "..."` belongs to the nearest class or struct
    # opened before it; `using X = compatible_provider<vendors::Y>;` gives X the name of Y.
    names = {}
    aliases = {}
    for header in sorted((ROOT / "include/llmap/providers").glob("*.hpp")):
        text = header.read_text()
        opened = [(m.start(), m.group(1))
                  for m in re.finditer(r"\b(?:class|struct)\s+(\w+)[^;{]*\{", text)]
        for nm in re.finditer(r"static\s+constexpr\s+(?:llmap::)?fixed_string\s+name\s*=\s*"
                              r"\"([^\"]+)\"", text):
            owner = [c for at, c in opened if at < nm.start()]
            if owner:
                names.setdefault(owner[-1], nm.group(1))
        for um in re.finditer(r"using\s+(\w+)\s*=\s*\w+<(?:\w+::)*(\w+)>\s*;", text):
            aliases[um.group(1)] = um.group(2)
    for alias, target in aliases.items():
        if alias not in names and target in names:
            names[alias] = names[target]
    missing = [t for t in types if t not in names]
    if missing:
        sys.exit(f"generate-catalog: no name found for registry entries {missing}")
    return {names[t] for t in types}


def deep_merge(base, override):
    out = dict(base)
    for k, v in override.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def omit(d, path):
    keys = path.split(".")
    for k in keys[:-1]:
        d = d.get(k)
        if not isinstance(d, dict):
            return
    d.pop(keys[-1], None)


def load_model(src, path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    base = data.pop("base_model", None)
    omits = data.pop("base_model_omit", [])
    if base:
        base_path = src / "models" / (base + ".toml")
        if not base_path.is_file():
            sys.exit(f"generate-catalog: {path}: base_model {base} not found")
        with open(base_path, "rb") as f:
            data = deep_merge(tomllib.load(f), data)
    for p in omits:
        omit(data, p)
    return data


def number(v, where):
    """A C++ literal for a price: the shortest spelling that reads back the same double."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        sys.exit(f"generate-catalog: {where}: not a price: {v!r}")
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def prices(table, where):
    table = dict(table)
    for alias, key in PRICE_SYNONYMS.items():
        if alias in table and key not in table:
            table[key] = table.pop(alias)
    fields = []
    for k in PRICE_KEYS:
        fields.append(number(table[k], where) if k in table else "{}")
    return "{" + ", ".join(fields) + "}"


def tiers(cost, where):
    out = []
    for t in cost.get("tiers", []):
        spec = t.get("tier", {})
        # models.dev's tiers are by context (input) size; refuse any other kind rather than
        # price it wrongly.
        if spec.get("type", "context") != "context" or "size" not in spec:
            sys.exit(f"generate-catalog: {where}: unsupported tier {spec!r}")
        out.append((int(spec["size"]), prices({k: v for k, v in t.items() if k != "tier"}, where)))
    out.sort()
    return out


def cxx_string(s):
    if any(c in s for c in '"\\') or any(ord(c) < 0x20 or ord(c) > 0x7e for c in s):
        sys.exit(f"generate-catalog: unexpected character in {s!r}")
    return '"' + s + '"'


def optional_int(v):
    return str(int(v)) if isinstance(v, int) and not isinstance(v, bool) and v > 0 else "{}"


def is_embedding(data):
    # models.dev has no embedding flag: an embedding model is one whose family or display name
    # says so (families text-embedding, cohere-embed, mistral-embed; "Gemini Embedding 001").
    return "embed" in str(data.get("family", "")).lower() or \
        "embed" in str(data.get("name", "")).lower()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=pathlib.Path, help="the models.dev folder")
    ap.add_argument("--commit", required=True,
                    help="the models.dev commit the folder is a copy of, named in the banner")
    ap.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    args = ap.parse_args()
    src = args.source
    if not (src / "providers").is_dir():
        sys.exit(f"generate-catalog: {src}/providers is not a folder")

    known = registry_names()
    entries = {}
    dropped = set()
    for folder in sorted(p for p in (src / "providers").iterdir() if p.is_dir()):
        names = [n for n in FOLDER_TO_PROVIDER.get(folder.name, [folder.name]) if n in known]
        if not names:
            dropped.add(folder.name)
            continue
        models_dir = folder / "models"
        for path in sorted(models_dir.rglob("*.toml")):
            model = path.relative_to(models_dir).with_suffix("").as_posix()
            data = load_model(src, path)
            where = f"{folder.name}/{model}"
            cost = data.get("cost", {})
            limit = data.get("limit", {})
            modalities = data.get("modalities", {})
            row = {
                "price": prices(cost, where) if cost else "{}",
                "tiers": tiers(cost, where),
                "context": optional_int(limit.get("context")),
                "output": optional_int(limit.get("output")),
                "tools": bool(data.get("tool_call", False)),
                "attachments": bool(data.get("attachment", False)),
                "vision": "image" in modalities.get("input", []),
                "reasoning": bool(data.get("reasoning", False)),
                "structured_output": bool(data.get("structured_output", False)),
                "embeddings": is_embedding(data),
            }
            for provider in names:
                entries[f"{provider}:{model}"] = row

    ids = sorted(entries, key=lambda s: s.encode())
    b = lambda v: "true" if v else "false"
    # The tiers of every model in one array (few models have any), each row pointing at its own.
    tier_rows = []
    tier_at = {}
    for i in ids:
        if entries[i]["tiers"]:
            tier_at[i] = len(tier_rows)
            tier_rows.extend(entries[i]["tiers"])
    lines = []
    lines.append("// Generated by scripts/generate-catalog.py: do not edit, rerun the script.")
    lines.append(f"// Source: models.dev (github.com/anomalyco/models.dev @ {args.commit}),")
    lines.append("// MIT licence, Copyright (c) 2025 models.dev.")
    lines.append("//")
    lines.append("// Included by <llmap/catalog.hpp> only, inside namespace llmap::detail.")
    lines.append("// Prices are in US dollars per million tokens: input, output, cache read, cache")
    lines.append("// write, reasoning; {} is unknown. A tier is {above this many input tokens,")
    lines.append("// prices}. A row is a model_facts: id, context window, maximum output, prices,")
    lines.append("// its tiers in catalog_tiers and their count, then tools, attachments, vision,")
    lines.append("// reasoning, structured output and embeddings.")
    lines.append("")
    lines.append(f"inline constexpr std::size_t catalog_size = {len(ids)};")
    lines.append("")
    lines.append("// clang-format off")
    lines.append(f"inline constexpr price_tier catalog_tiers[{max(len(tier_rows), 1)}] = {{")
    for size, p in tier_rows:
        lines.append(f"{{{size}, {p}}},")
    lines.append("};")
    lines.append("")
    lines.append("inline constexpr model_facts catalog_rows[catalog_size] = {")
    for i in ids:
        r = entries[i]
        t = f"catalog_tiers + {tier_at[i]}" if i in tier_at else "nullptr"
        lines.append(
            f"{{{cxx_string(i)}, {r['context']}, {r['output']}, {r['price']}, {t}, "
            f"{len(r['tiers'])}, {b(r['tools'])}, {b(r['attachments'])}, {b(r['vision'])}, "
            f"{b(r['reasoning'])}, {b(r['structured_output'])}, {b(r['embeddings'])}}},")
    lines.append("};")
    lines.append("// clang-format on")
    args.output.write_text("\n".join(lines) + "\n")

    per = {}
    for i in ids:
        per[i.split(":", 1)[0]] = per.get(i.split(":", 1)[0], 0) + 1
    print(f"generate-catalog: {len(ids)} entries -> {args.output}", file=sys.stderr)
    for p in sorted(per):
        print(f"  {p}: {per[p]}", file=sys.stderr)
    if dropped:
        print(f"  dropped (not in the default registry): {', '.join(sorted(dropped))}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
