"""docs/cli.md cannot drift from the tool: its "## Usage" block is what `pyprefix --help` prints.

    python3 check_cli_page.py PYPREFIX_CLI DOCS_CLI_MD
"""
import subprocess
import sys

cli, page = sys.argv[1], sys.argv[2]
printed = subprocess.run([cli, "--help"], capture_output=True, text=True, check=True).stdout
lines = open(page, encoding="utf-8").read().splitlines()
start = lines.index("## Usage")
fence = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
end = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
documented = "\n".join(lines[fence + 1:end]) + "\n"
if documented != printed:
    import difflib
    sys.stdout.writelines(difflib.unified_diff(documented.splitlines(True), printed.splitlines(True),
                                               "docs/cli.md", "pyprefix --help"))
    sys.exit("docs/cli.md's usage differs from `pyprefix --help`: update the page")
print("docs/cli.md matches pyprefix --help (%d lines)" % printed.count("\n"))
