"""Copy each docs/readme/NAME.md into README.md between <!-- begin:NAME --> and <!-- end:NAME -->.

The long README sections are edited in docs/readme/ (one file per topic) and merged here, so
the README a visitor reads on the front page is complete.

    python tools/merge_readme.py          # rewrite README.md
    python tools/merge_readme.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- begin:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end:(?P=name) -->)",
                   re.DOTALL)


def merged(readme: str) -> str:
    def replace(match: re.Match[str]) -> str:
        part = (ROOT / "docs" / "readme" / f"{match.group('name')}.md").read_text("utf-8")
        return match.group(1) + part.rstrip("\n") + "\n" + match.group(4)

    return BLOCK.sub(replace, readme)


def main() -> int:
    path = ROOT / "README.md"
    text = path.read_text("utf-8")
    new = merged(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md is out of date: run python tools/merge_readme.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
