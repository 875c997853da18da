#!/usr/bin/env python3
"""Independent readers check sverka's edits of the real-world corpus.

For every case NAME written by `cargo run --example interop_gen -- DIR` into DIR/corpus/:
NAME.original.xls (a corpus book), NAME.xls (sverka's output with the corpus edit set) and
NAME.edits.json (the edits by sheet name, whether the book holds formulas, and the cells
sverka reads in the original). Each reader is held to its own reading of the original:
  * xlrd and Apache POI: the output reads as the original with the edits laid over it, every
    cell of every sheet; a reader that opens the original must open the output;
  * sverka's reading of the original equals xlrd's (type and value), so that the officer sees
    what other programs show (formula results included);
  * LibreOffice (books without formulas: it recalculates them): every sheet converted to CSV
    reads as the original's CSV with the edited cells replaced.

Exit status: 0 all passed, 1 a case failed, 2 usage, 3 an oracle is missing.
The last line is always `corpus: N passed, M failed`.
"""

import csv
import glob
import json
import os
import shutil
import sys
import tempfile

import poi
from libreoffice import convert_to_csv, same_number

try:
    import xlrd
except ImportError:  # pragma: no cover - reported to the caller
    print("corpus: Python module xlrd is missing (pip install xlrd==2.0.1)")
    print("corpus: 0 passed, 0 failed")
    sys.exit(3)

def same_value(a, b):
    (ta, va), (tb, vb) = a, b
    if ta != tb:
        return False
    if ta == "n":
        return same_number(va, vb)
    return va == vb


def xlrd_cells(path):
    """{(sheet name, row, col): (type, value)} of every non-empty cell, as xlrd reads them."""
    book = xlrd.open_workbook(path, logfile=open(os.devnull, "w"), on_demand=False)
    out = {}
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                t = cell.ctype
                if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if t == xlrd.XL_CELL_TEXT:
                    if cell.value == "":
                        continue
                    out[(sheet.name, r, c)] = ("s", cell.value)
                elif t in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                    out[(sheet.name, r, c)] = ("n", float(cell.value))
                elif t == xlrd.XL_CELL_BOOLEAN:
                    out[(sheet.name, r, c)] = ("b", bool(cell.value))
                elif t == xlrd.XL_CELL_ERROR:
                    out[(sheet.name, r, c)] = ("e", int(cell.value))
    return out


def with_edits(cells, edits, sheets=None):
    """The cells a reader must find in the output: its reading of the original, edited."""
    want = dict(cells)
    for sheet, r, c, value in edits:
        if sheets is not None and sheet not in sheets:
            continue
        if value is None or value == "":
            want.pop((sheet, r, c), None)
        else:
            want[(sheet, r, c)] = ("s", value)
    return want


def compare(reader, got, want, errors, limit=6):
    bad = 0
    for key in sorted(set(got) | set(want), key=lambda k: (k[0], k[1], k[2])):
        g, w = got.get(key), want.get(key)
        if g is None and w is None:
            continue
        if g is None or w is None or not same_value(g, w):
            bad += 1
            if bad <= limit:
                errors.append("%s %s!R%dC%d: got %s, expected %s"
                              % (reader, key[0], key[1] + 1, key[2] + 1, short(g), short(w)))
    if bad > limit:
        errors.append("%s: %d cells differ in all" % (reader, bad))


def short(v):
    if v is None:
        return "nothing"
    return "%s %r" % (v[0], str(v[1])[:50])


ERROR_CODES = {"#NULL!": 0, "#DIV/0!": 7, "#VALUE!": 15, "#REF!": 23, "#NAME?": 29,
               "#NUM!": 36, "#N/A": 42}


def sverka_cells(spec):
    """sverka's reading of the original in xlrd's terms (dates as numbers, error codes)."""
    out = {}
    for sheet, r, c, t, v in spec["sverka"]:
        if t in ("n", "d"):
            # JSON has no NaN: serde writes it as null.
            out[(sheet, r, c)] = ("n", float("nan") if v is None else float(v))
        elif t == "e":
            out[(sheet, r, c)] = ("e", ERROR_CODES.get(v, -1))
        else:
            out[(sheet, r, c)] = (t, v)
    return out


def check_case(case, spec, poi_cells, csv_dirs, notes):
    errors = []
    edits = [tuple(e) for e in spec["edits"]]
    # xlrd
    try:
        original = xlrd_cells(case + ".original.xls")
    except Exception as e:  # xlrd does not open the original: nothing to hold the output to
        notes.append("xlrd refuses the original (%s)" % (str(e)[:80] or type(e).__name__))
        original = None
    if original is not None:
        try:
            got = xlrd_cells(case + ".xls")
            compare("xlrd", got, with_edits(original, edits), errors)
        except Exception as e:
            errors.append("xlrd refuses the output: %s: %s" % (type(e).__name__, e))
        # Without edits sverka must read what xlrd reads (xlrd's sheets: worksheets only).
        mine = sverka_cells(spec)
        xlrd_sheets = set(xlrd.open_workbook(case + ".original.xls", on_demand=True,
                                             logfile=open(os.devnull, "w")).sheet_names())
        mine = {k: v for k, v in mine.items() if k[0] in xlrd_sheets}
        compare("sverka vs xlrd (original)", mine, original, errors)
    # Apache POI
    if poi_cells is not None:
        orig = poi_cells.get(case + ".original.xls")
        out = poi_cells.get(case + ".xls")
        if isinstance(orig, str):
            notes.append("POI refuses the original (%s)" % orig[:100])
        elif isinstance(out, str):
            errors.append("POI refuses the output: %s" % out[:300])
        elif orig is not None and out is not None:
            compare("POI", out, with_edits(orig, edits), errors)
    # LibreOffice
    if csv_dirs is not None and not spec["formulas"]:
        if check_csv(case, spec, csv_dirs, edits, errors):
            notes.append("LibreOffice compared")
    return errors


def read_csv(path):
    if not os.path.exists(path):
        return None
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        return list(csv.reader(f))


def check_csv(case, spec, csv_dirs, edits, errors):
    """Returns how many sheets LibreOffice compared."""
    base = os.path.basename(case)
    orig_dir, out_dir = csv_dirs
    bad = 0
    compared = 0
    for sheet in spec["sheets"]:
        orig = read_csv(os.path.join(orig_dir, "%s.original-%s.csv" % (base, sheet)))
        out = read_csv(os.path.join(out_dir, "%s-%s.csv" % (base, sheet)))
        if orig is None:
            continue
        compared += 1
        if out is None:
            errors.append("LibreOffice: no CSV for sheet %s of the output" % sheet)
            continue
        want = {(r, c): v for r, row in enumerate(orig) for c, v in enumerate(row) if v != ""}
        for s, r, c, value in edits:
            if s != sheet:
                continue
            if value:
                want[(r, c)] = value
            else:
                want.pop((r, c), None)
        got = {(r, c): v for r, row in enumerate(out) for c, v in enumerate(row) if v != ""}
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                bad += 1
                if bad <= 6:
                    errors.append("LibreOffice %s!R%dC%d: got %r, expected %r"
                                  % (sheet, key[0] + 1, key[1] + 1, (got.get(key) or "")[:50],
                                     (want.get(key) or "")[:50]))
    if bad > 6:
        errors.append("LibreOffice: %d cells differ in all" % bad)
    return compared


def main():
    if len(sys.argv) != 2:
        print("usage: corpus.py CASES_DIR")
        return 2
    root = os.path.join(sys.argv[1], "corpus")
    cases = sorted(p[:-len(".edits.json")] for p in glob.glob(os.path.join(root, "*.edits.json")))
    if not cases:
        print("corpus: no cases in %s" % root)
        print("corpus: 0 passed, 0 failed")
        return 2
    specs = {}
    for case in cases:
        with open(case + ".edits.json", encoding="utf-8") as f:
            specs[case] = json.load(f)

    run_cp, why = poi.build(os.path.join(sys.argv[1], "poi-classes"))
    if run_cp is None:
        print("corpus: %s" % why)
        print("corpus: 0 passed, 0 failed")
        return 3
    paths = [p for c in cases for p in (c + ".original.xls", c + ".xls")]
    poi_cells = poi.dump(run_cp, paths)

    work = tempfile.mkdtemp(prefix="sverka-corpus-csv-")
    try:
        plain = [c for c in cases if not specs[c]["formulas"]]
        orig_dir, out_dir = os.path.join(work, "orig"), os.path.join(work, "out")
        os.makedirs(orig_dir)
        os.makedirs(out_dir)
        if not (convert_to_csv([c + ".original.xls" for c in plain], orig_dir, 40, False, 1800)
                and convert_to_csv([c + ".xls" for c in plain], out_dir, 40, False, 1800)):
            print("corpus: LibreOffice (soffice) is missing")
            print("corpus: 0 passed, 0 failed")
            return 3
        passed = failed = lo_checked = 0
        for case in cases:
            notes = []
            try:
                errors = check_case(case, specs[case], poi_cells, (orig_dir, out_dir), notes)
            except Exception as e:  # a reader crashing on a file is a failure, not a crash here
                errors = ["%s: %s" % (type(e).__name__, e)]
            name = specs[case]["source"]
            if "LibreOffice compared" in notes:
                lo_checked += 1
                notes.remove("LibreOffice compared")
            extra = ("; " + "; ".join(notes)) if notes else ""
            if errors:
                failed += 1
                print("FAIL %s (%d edits%s)" % (name, len(specs[case]["edits"]), extra))
                for e in errors[:12]:
                    print("    " + e)
            else:
                passed += 1
                print("ok   %s (%d edits%s)" % (name, len(specs[case]["edits"]), extra))
        print("corpus: LibreOffice compared %d of the %d books without formulas"
              % (lo_checked, len(plain)))
        if plain and lo_checked < len(plain) // 2:
            print("FAIL LibreOffice converted too few books; its conversion is broken")
            failed += 1
        print("corpus: %d passed, %d failed" % (passed, failed))
        return 0 if failed == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
