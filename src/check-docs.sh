#!/usr/bin/env bash
# Checks the documentation (run by src/test.sh): in README.md and docs/*.md every relative link (and image)
# points to an existing file, and a #anchor to a heading of that file (GitHub's slugs); every command line
# `./nextscale SUBCOMMAND ...` shown in a ```bash block or in `inline code` names an existing subcommand and
# only options that subcommand accepts. The options come from `./nextscale help SUBCOMMAND`, one JVM per
# subcommand, not per line. `./nextscale spark JOB ...` lines are checked against `./nextscale spark help JOB`.
# Usage: bash src/check-docs.sh [FOLDER]   (FOLDER holding README.md and docs/; default: this repository)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "${1:-$here}" && pwd)"
command -v python3 >/dev/null || { echo "check-docs: python3 is needed (apt-get install -y python3)" >&2; exit 1; }

# the parsing (links, headings, command lines) in Python: $check ROOT --list-subcommands | --subcommands "..." --usage-dir DIR
check=$(cat <<'PY'
import os, re, shlex, sys

root = sys.argv[1]
args = sys.argv[2:]
pages = [os.path.join(root, "README.md")] + sorted(
    os.path.join(root, "docs", f) for f in os.listdir(os.path.join(root, "docs")) if f.endswith(".md"))

FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")

def split(text):
    """(prose, bash blocks): prose without fenced blocks and HTML comments; the lines of ```bash blocks."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    prose, bash, fence, lang = [], [], None, ""
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if fence is None and m:
            fence, lang = m.group(1), m.group(2).lower()
            prose.append("")
        elif fence is not None and line.strip().startswith(fence):
            fence = None
            prose.append("")
        elif fence is not None:
            if lang in ("bash", "sh", "shell", "console"):
                bash.append((n, line))
            prose.append("")
        else:
            prose.append(line)
    return prose, bash

def slug(heading, seen):
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)        # a link's text only
    s = s.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)                              # GitHub keeps letters, digits, _, -, spaces
    s = s.replace(" ", "-")
    k = seen.get(s, 0)
    seen[s] = k + 1
    return s if k == 0 else f"{s}-{k}"

_anchors = {}
def anchors(path):
    if path not in _anchors:
        seen, found = {}, set()
        prose, _ = split(open(path, encoding="utf-8").read())
        for line in prose:
            m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if m:
                found.add(slug(m.group(2), seen))
        _anchors[path] = found
    return _anchors[path]

def commands(page):
    """(line number, text) of every ./nextscale command line in ```bash blocks and in inline code."""
    prose, bash = split(open(page, encoding="utf-8").read())
    out, pending = [], None
    for n, line in bash:
        if pending is not None:
            pending = (pending[0], pending[1][:-1] + " " + line.strip())
        elif re.match(r"^\s*(\S+=\S+\s+)*\./nextscale(\s|$)", line):
            pending = (n, line.strip())
        else:
            continue
        if not pending[1].endswith("\\"):
            out.append(pending)
            pending = None
    text = "\n".join(prose)
    for m in re.finditer(r"(?<!`)`([^`]+)`(?!`)", text):
        code = " ".join(m.group(1).split())
        if code.startswith("./nextscale"):
            out.append((text.count("\n", 0, m.start()) + 1, code))
    return out

def parse(cmd):
    try:
        words = shlex.split(cmd, comments=True)
    except ValueError:
        words = cmd.split()
    while words and re.match(r"^\w+=", words[0]):              # VAR=value ./nextscale ...
        words.pop(0)
    words = words[1:]                                          # ./nextscale
    sub = words[0] if words else ""
    if sub == "spark" and len(words) > 1 and not words[1].startswith("-"):
        words = words[1:]                                      # a Spark job: checked as "spark:JOB"
        sub = "spark:" + words[0]
    opts = [w.split("=", 1)[0] for w in words[1:] if w.startswith("--")]
    return sub, opts

all_commands = [(p, n, c) for p in pages for n, c in commands(p)]

if args == ["--list-subcommands"]:
    print(" ".join(sorted({parse(c)[0] for _, _, c in all_commands if parse(c)[0]})))
    sys.exit(0)

subcommands = set(args[args.index("--subcommands") + 1].split())
usage_dir = args[args.index("--usage-dir") + 1]
broken, links, checked = [], 0, 0

for page in pages:
    rel = os.path.relpath(page, root)
    prose, _ = split(open(page, encoding="utf-8").read())
    text = "\n".join(prose)
    text_no_code = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), text)
    for m in re.finditer(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text_no_code):
        target = m.group(1)
        line = text_no_code.count("\n", 0, m.start()) + 1
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):          # http:, https:, mailto:
            continue
        links += 1
        path, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not os.path.exists(dest):
            broken.append(f"{rel}:{line}: link to a missing file: {target}")
        elif anchor and (not dest.endswith(".md") or anchor.lower() not in anchors(dest)):
            broken.append(f"{rel}:{line}: link to a missing heading: {target}")

usage = {}
for page, n, cmd in all_commands:
    rel = os.path.relpath(page, root)
    sub, opts = parse(cmd)
    checked += 1
    if not sub or sub.startswith("-"):
        continue                                               # ./nextscale alone, or ./nextscale --help
    if sub not in subcommands:
        broken.append(f"{rel}:{n}: no subcommand '{sub}': {cmd}")
        continue
    if sub not in usage:
        f = os.path.join(usage_dir, sub)
        usage[sub] = set(re.findall(r"(?<![\w-])--[a-z0-9][a-z0-9-]*", open(f).read())) if os.path.exists(f) else set()
    for o in opts:
        if o not in usage[sub]:
            broken.append(f"{rel}:{n}: '{sub}' has no option {o}: {cmd}")

print(f"check-docs: checked {links} links and {checked} command lines in {len(pages)} pages", flush=True)
if broken:
    print(f"check-docs: {len(broken)} broken:", file=sys.stderr)
    for b in broken:
        print("  " + b, file=sys.stderr)
    sys.exit(1)
PY
)

# the subcommands and, for each one the pages use, the options its usage text lists
subcommands=$("$here/nextscale" help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
[ -n "$subcommands" ] || { echo "check-docs: './nextscale help' listed no subcommands" >&2; exit 1; }
subcommands="$subcommands jupyter"                         # handled by the launcher itself, not by the CLI
# the Spark jobs, as spark:JOB (the launcher's spark subcommand runs the spark module's own CLI)
jobs=$("$here/nextscale" spark help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print "spark:" $1}')
[ -n "$jobs" ] || { echo "check-docs: './nextscale spark help' listed no jobs" >&2; exit 1; }
subcommands="$subcommands spark $jobs"
used=$(python3 -c "$check" "$root" --list-subcommands)
usage_dir=$(mktemp -d)
trap 'rm -rf "$usage_dir"' EXIT
for s in $used; do
  case " $(echo $subcommands) " in *" $s "*) ;; *) continue ;; esac
  if [ "$s" = jupyter ]; then "$here/nextscale" jupyter --help >"$usage_dir/$s" 2>&1 || true
  elif [ "${s#spark:}" != "$s" ]; then "$here/nextscale" spark help "${s#spark:}" >"$usage_dir/$s" 2>&1
  elif [ "$s" = spark ]; then "$here/nextscale" spark help >"$usage_dir/$s" 2>&1
  else "$here/nextscale" help "$s" >"$usage_dir/$s" 2>&1; fi
done
python3 -c "$check" "$root" --subcommands "$(echo $subcommands)" --usage-dir "$usage_dir"
