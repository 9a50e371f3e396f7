"""Print a short tour of a freshly ingested ledger: the summary and a few example queries with real output.

Run by ``make demo`` after ``onrecord ingest examples/``. Each query is shown as the command a user would type.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).with_name("onrecord")
QUERIES = (
    ["stats"],
    ["statements", "--kind", "prediction", "--limit", "5"],
    ["statements", "--relayed-by", "New York Times", "--limit", "5"],
    ["statements", "--search", "iPhone", "--limit", "5"],
    ["statements", "--speaker", "Steve Jobs", "--since", "2010-07-01", "--limit", "2", "--format", "jsonl"],
    ["entity", "GM"],
    ["stories", "--limit", "3"],
    ["expectations", "--limit", "3"],
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    env = dict(os.environ, COLUMNS="160")
    for query in QUERIES:
        cmd = [str(BIN), *query, "--db", args.db]
        print(f"\n$ onrecord {' '.join(query)}", flush=True)
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        lines = result.stdout.splitlines()
        print("\n".join(lines[:40]) + ("\n…" if len(lines) > 40 else ""), flush=True)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return result.returncode
    print("\nThe ledger is in", args.db.removeprefix("sqlite:///"), "— open it with any SQLite tool, or query it with onrecord.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
