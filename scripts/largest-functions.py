#!/usr/bin/env python3
"""Lists the longest Rust functions (lines from `fn` to its closing brace) under src/ and crates/.

    python3 scripts/largest-functions.py [N]     # the N longest (default 10)

A rough scanner, not a parser: it skips string literals, char literals and comments well enough
for this code base; test modules count too (pass --no-tests to leave out files named tests.rs
and `mod tests` blocks is not attempted).
"""
import os
import re
import sys

FN = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"[^"]*"\s+)?fn\s+(\w+)')


def strip(line, state):
    """Removes comments and string contents from a line; state carries block comments and raw strings."""
    out = []
    i = 0
    while i < len(line):
        if state["block"]:
            j = line.find("*/", i)
            if j < 0:
                return "".join(out)
            state["block"] = False
            i = j + 2
            continue
        if state["str"]:
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == '"':
                state["str"] = False
            i += 1
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"] = True
            i += 2
            continue
        m = re.match(r'r(#*)"', line[i:])
        if m and (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == "_")):
            end = '"' + m.group(1)
            j = line.find(end, i + len(m.group(0)))
            if j < 0:
                state["raw"] = end
                return "".join(out)
            i = j + len(end)
            continue
        if c == '"':
            state["str"] = True
            i += 1
            continue
        if c == "'" and re.match(r"'(\\.|[^\\'])'", line[i:]):
            i += len(re.match(r"'(\\.|[^\\'])'", line[i:]).group(0))
            continue
        out.append(c)
        i += 1
    return "".join(out)


def functions(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    state = {"block": False, "str": False, "raw": None}
    clean = []
    for line in lines:
        if state["raw"]:
            j = line.find(state["raw"])
            if j < 0:
                clean.append("")
                continue
            line = line[j + len(state["raw"]):]
            state["raw"] = None
        clean.append(strip(line, state))
    found = []
    for start, line in enumerate(clean):
        m = FN.match(line)
        if not m:
            continue
        depth = 0
        opened = False
        for k in range(start, len(clean)):
            for ch in clean[k]:
                if ch == "{":
                    depth += 1
                    opened = True
                elif ch == "}":
                    depth -= 1
                elif ch == ";" and not opened and depth == 0:
                    break
            else:
                if opened and depth == 0:
                    found.append((k - start + 1, f"{path}:{start + 1}", m.group(7)))
                    break
                continue
            break
    return found


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    all_fns = []
    for root in ("src", "crates"):
        for dirpath, _, files in os.walk(root):
            for name in files:
                if name.endswith(".rs"):
                    all_fns.extend(functions(os.path.join(dirpath, name)))
    all_fns.sort(reverse=True)
    for length, where, name in all_fns[:n]:
        print(f"{length:5} {name:40} {where}")


if __name__ == "__main__":
    main()
