#!/usr/bin/python3
"""jsonq.py EXPR: reads one JSON document on stdin, evaluates the Python
expression EXPR with the document bound to 'd', and prints the result:
a string as it is, None as nothing, a bool as true/false, a number as
it is, a list or set one item per line (items printed the same way),
anything else as compact JSON.  Exit status 1 if stdin is not JSON or
EXPR fails (KeyError, IndexError ...), so callers can test it.

A tiny jq for the end-to-end suite (jq is not among the packages l2gw
depends on)."""
import json
import sys


def show(v):
    if v is None:
        return
    if isinstance(v, bool):
        print("true" if v else "false")
    elif isinstance(v, (str, int, float)):
        print(v)
    elif isinstance(v, (list, tuple, set)):
        for x in v:
            show(x)
    else:
        print(json.dumps(v, separators=(",", ":"), sort_keys=True))


def main():
    if len(sys.argv) != 2:
        print("usage: jsonq.py EXPR", file=sys.stderr)
        return 2
    try:
        d = json.load(sys.stdin)
        v = eval(sys.argv[1], {"__builtins__": __builtins__}, {"d": d})
    except Exception as e:  # the caller tests the status
        print(f"jsonq: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    show(v)
    return 0


sys.exit(main())
