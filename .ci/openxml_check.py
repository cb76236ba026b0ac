#!/usr/bin/env python3
"""Validates the workbooks os2gov wrote with openxml-audit (Open XML SDK schema and
semantic rules, pure Python, no .NET) and fails on any error an output has that its input
did not already have.

Usage: openxml_check.py VALIDATOR LIST
LIST has one line per workbook os2gov wrote: `OUTPUT` (must have no error at all) or
`OUTPUT<TAB>INPUT` (an annotated copy: only errors the input lacks count). Errors are
compared by (type, description, element), as a multiset: an annotated copy keeps the
user's parts as they were, so an error of the input may reappear, but not more often.
"""

import collections
import json
import os
import subprocess
import sys


def errors(validator, path):
    out = subprocess.run(
        [validator, "--output", "json", "--max-errors", "0", path],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(out.stdout)[0]
    except (ValueError, IndexError) as e:
        sys.exit(f"openxml-audit gave no report for {path} ({e}):\n{out.stdout}\n{out.stderr}")
    return report.get("errors", [])


def key(e):
    return (e.get("type"), e.get("description"), e.get("node"))


def planted_error_is_caught(validator, sample, scratch):
    """The check must be able to fail: a copy of `sample` whose first sheet has an element
    out of schema order must give an error."""
    import re
    import zipfile

    broken = os.path.join(scratch, "planted-error.xlsx")
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as dst:
        planted = False
        for item in src.infolist():
            data = src.read(item.filename)
            if not planted and re.match(r"xl/worksheets/sheet\d+\.xml$", item.filename):
                text = data.decode("utf-8")
                margins = re.search(r"<pageMargins[^>]*/>", text)
                if margins:
                    text = text.replace(margins.group(0), "").replace("<sheetData", margins.group(0) + "<sheetData", 1)
                    data, planted = text.encode("utf-8"), True
            dst.writestr(item, data)
    if not planted or not errors(validator, broken):
        sys.exit("openxml-audit did not report an element out of order: the check cannot be trusted")


def main():
    validator, listing = sys.argv[1], sys.argv[2]
    first = open(listing, encoding="utf-8").readline().split("\t")[0].strip()
    planted_error_is_caught(validator, first, os.path.dirname(os.path.abspath(listing)))
    checked, failed = 0, 0
    for line in open(listing, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        output, _, source = line.partition("\t")
        if source and not os.path.isfile(source):
            sys.exit(f"the input of {output} is not where it should be: {source}")
        found = errors(validator, output)
        allowed = collections.Counter(key(e) for e in errors(validator, source)) if source else collections.Counter()
        new = []
        for e in found:
            if allowed[key(e)] > 0:
                allowed[key(e)] -= 1
            else:
                new.append(e)
        checked += 1
        if new:
            failed += 1
            print(f"FAIL {output}" + (f" (input {source})" if source else ""))
            for e in new[:20]:
                print(f"  {e.get('part_uri')} {e.get('path')}: {e.get('description')}")
    print(f"openxml-audit: {checked} workbooks checked, {failed} with new schema errors")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
