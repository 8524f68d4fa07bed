#!/usr/bin/python3
"""Adds up the results of every test stage in a results directory.

Reads meson test logs (*.mesonjson: one JSON object per test; cmocka
executables are counted per test case from their summary lines, other
programs as one test each), pytest JUnit files (*.junit.xml), e2e logs
(lines 'PASS name' / 'FAIL name' / 'SKIP name') and stages.txt ('pass X' /
'fail X').  Prints the failures, then 'N passed, N failed[, N skipped]' as
the last line, and exits 1 if anything failed."""
import glob, json, os, re, sys
import xml.etree.ElementTree as ET

res = sys.argv[1]
passed = failed = skipped = 0
failures = []

CM_PASS = re.compile(r"\[  PASSED  \] (\d+) test")
CM_FAIL = re.compile(r"\[  FAILED  \] (\d+) test")
CM_SKIP = re.compile(r"\[  SKIPPED \] (\d+) test")

for path in sorted(glob.glob(os.path.join(res, "*.mesonjson"))):
    label = os.path.basename(path).rsplit(".", 1)[0]
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            ok = t.get("result") in ("OK", "EXPECTEDFAIL")
            p = sum(int(m) for m in CM_PASS.findall(out))
            fl = sum(int(m) for m in CM_FAIL.findall(out))
            sk = sum(int(m) for m in CM_SKIP.findall(out))
            if t.get("result") == "SKIP":
                skipped += 1
            elif p + fl + sk:
                passed += p; failed += fl; skipped += sk
                if fl or not ok:
                    failures.append(f"{label}: {t['name']} ({t.get('result')})")
                    if not fl:
                        failed += 1
            elif ok:
                passed += 1
            else:
                failed += 1
                failures.append(f"{label}: {t['name']} ({t.get('result')})")

for path in sorted(glob.glob(os.path.join(res, "*.junit.xml"))):
    label = os.path.basename(path).split(".")[0]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        failed += 1
        failures.append(f"{label}: unreadable results")
        continue
    for case in root.iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        if case.find("skipped") is not None:
            skipped += 1
        elif case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failures.append(f"{label}: {name}")
        else:
            passed += 1

for path in sorted(glob.glob(os.path.join(res, "e2e*.log"))):
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"^(PASS|FAIL|SKIP) (.+)$", line.strip())
            if not m:
                continue
            if m.group(1) == "PASS":
                passed += 1
            elif m.group(1) == "SKIP":
                skipped += 1
            else:
                failed += 1
                failures.append(f"e2e: {m.group(2)}")

stages = os.path.join(res, "stages.txt")
if os.path.exists(stages):
    with open(stages) as f:
        for line in f:
            r, _, name = line.strip().partition(" ")
            if r == "pass":
                passed += 1
            else:
                failed += 1
                failures.append(f"stage: {name}")

for x in failures:
    print("FAILED", x)
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
