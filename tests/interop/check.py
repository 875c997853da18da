#!/usr/bin/env python3
"""Independent readers check sverka's output.

For every case NNN written by `cargo run --example interop_gen -- DIR`:
  * Python xlrd opens NNN.xls and every cell of every sheet must equal NNN.expected.json
    (type and value), and no other cell may hold a value;
  * LibreOffice headless converts NNN.xls to CSV (one file per sheet) and every cell must
    agree with the same expected grid;
  * the structure the officer sees must be the original's: sheet names and visibility,
    hidden columns, frozen panes and merged cells (compared through xlrd), and the records
    that carry them (BOUNDSHEET names, COLINFO, PANE, WINDOW2, MERGEDCELLS, DEFCOLWIDTH)
    byte for byte against NNN.original.xls;
  * Apache POI (HSSF, through PoiDump.java) reads every cell of NNN.xls as expected, too.

Exit status: 0 all passed, 1 a case failed, 2 usage, 3 an oracle is missing.
The last line is always `interop: N passed, M failed`.
"""

import csv
import datetime
import glob
import json
import os
import shutil
import struct
import sys
import tempfile

try:
    import xlrd
    from xlrd import compdoc
except ImportError:  # pragma: no cover - reported to the caller
    print("interop: Python module xlrd is missing (pip install xlrd==2.0.1)")
    print("interop: 0 passed, 0 failed")
    sys.exit(3)

import poi
from libreoffice import convert_to_csv, same_number
STRUCTURE_RECORDS = {0x007D: "COLINFO", 0x0041: "PANE", 0x023E: "WINDOW2",
                     0x00E5: "MERGEDCELLS", 0x0055: "DEFCOLWIDTH"}
EPOCH_DT = datetime.datetime(1899, 12, 30)


# ---------------------------------------------------------------- raw BIFF8 records

def workbook_stream(path):
    with open(path, "rb") as f:
        data = f.read()
    doc = compdoc.CompDoc(data, logfile=open(os.devnull, "w"))
    for name in ("Workbook", "WORKBOOK", "workbook"):
        stream = doc.get_named_stream(name)
        if stream is not None:
            return stream
    raise ValueError("no Workbook stream")


def records(stream, pos):
    """Records of one substream from the BOF at pos to its EOF (nested substreams included)."""
    out = []
    depth = 0
    while pos + 4 <= len(stream):
        rid, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + size]
        if len(body) != size:
            raise ValueError("record past the end at %d" % pos)
        out.append((rid, body))
        pos += 4 + size
        if rid == 0x0809:
            depth += 1
        elif rid == 0x000A:
            depth -= 1
            if depth == 0:
                break
    return out


def structure(path):
    """Per sheet: (name, visibility, type) and the structure records, from the raw stream."""
    stream = workbook_stream(path)
    globals_ = records(stream, 0)
    sheets = []
    for rid, body in globals_:
        if rid == 0x0085:
            pos = struct.unpack_from("<I", body, 0)[0]
            if pos >= len(stream) or struct.unpack_from("<H", stream, pos)[0] != 0x0809:
                raise ValueError("BOUNDSHEET points to %d, which is not a BOF" % pos)
            recs = [(rid2, b) for rid2, b in records(stream, pos) if rid2 in STRUCTURE_RECORDS]
            sheets.append((body[4:], recs))
    return sheets


# ---------------------------------------------------------------- comparisons

def expected_cells(sheet):
    return {(r, c): (t, v) for r, c, t, v in sheet["cells"]}


def check_xlrd(case, exp, errors):
    book = xlrd.open_workbook(case + ".xls", formatting_info=True, on_demand=False,
                              logfile=open(os.devnull, "w"))
    names = [s.name for s in book.sheets()]
    want_names = [s["name"] for s in exp["sheets"]]
    if names != want_names:
        errors.append("xlrd: sheets %r, expected %r" % (names, want_names))
        return
    for sheet, want in zip(book.sheets(), exp["sheets"]):
        cells = expected_cells(want)
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                got_empty = cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or (
                    cell.ctype == xlrd.XL_CELL_TEXT and cell.value == "")
                w = cells.pop((r, c), None)
                where = "xlrd %s!R%dC%d" % (sheet.name, r + 1, c + 1)
                if w is None:
                    if not got_empty:
                        errors.append("%s: unexpected %r" % (where, cell.value))
                    continue
                t, v = w
                ok = {
                    "s": lambda: cell.ctype == xlrd.XL_CELL_TEXT and cell.value == v,
                    "n": lambda: cell.ctype == xlrd.XL_CELL_NUMBER and same_number(cell.value, v),
                    "d": lambda: cell.ctype == xlrd.XL_CELL_DATE and same_number(cell.value, v),
                    "b": lambda: cell.ctype == xlrd.XL_CELL_BOOLEAN and bool(cell.value) == v,
                    "e": lambda: cell.ctype == xlrd.XL_CELL_ERROR,
                }[t]()
                if not ok:
                    errors.append("%s: got type %d %r, expected %s %r"
                                  % (where, cell.ctype, str(cell.value)[:60], t, str(v)[:60]))
        for (r, c), (t, v) in sorted(cells.items())[:5]:
            errors.append("xlrd %s!R%dC%d: missing %s %r" % (sheet.name, r + 1, c + 1, t, str(v)[:60]))


def check_date_formats(case, errors):
    """Every date cell sverka wrote has the format Excel would give it: a date cell keeps its
    own XF; any other cell takes the XF its column's dates use most (of equally common ones,
    the lowest). Read by xlrd from the output and the original."""
    open_book = lambda p: xlrd.open_workbook(p, formatting_info=True, logfile=open(os.devnull, "w"))
    before, after = open_book(case + ".original.xls"), open_book(case + ".xls")
    for old, new in zip(before.sheets(), after.sheets()):
        def cell(sheet, r, c):
            if r < sheet.nrows and c < sheet.row_len(r):
                return sheet.cell(r, c)
            return None
        column_xf = {}
        for c in range(new.ncols):
            counts = {}
            for r in range(old.nrows):
                o = cell(old, r, c)
                if o is not None and o.ctype == xlrd.XL_CELL_DATE:
                    counts[o.xf_index] = counts.get(o.xf_index, 0) + 1
            if counts:
                column_xf[c] = min(counts, key=lambda xf: (-counts[xf], xf))
        for r in range(new.nrows):
            for c in range(new.row_len(r)):
                n, o = new.cell(r, c), cell(old, r, c)
                if n.ctype != xlrd.XL_CELL_DATE:
                    continue
                if o is not None and o.ctype == n.ctype and o.value == n.value:
                    continue
                want = o.xf_index if o is not None and o.ctype == xlrd.XL_CELL_DATE else column_xf.get(c)
                if n.xf_index != want:
                    errors.append("xlrd %s!R%dC%d: a written date has format %d, expected %s"
                                  % (new.name, r + 1, c + 1, n.xf_index, want))


def check_poi(case, exp, cells_by_path, errors):
    got = cells_by_path.get(case + ".xls")
    if got is None:
        errors.append("POI: no reading")
        return
    if isinstance(got, str):
        errors.append("POI refuses the file: %s" % got[:300])
        return
    want = {}
    for sheet in exp["sheets"]:
        for r, c, t, v in sheet["cells"]:
            want[(sheet["name"], r, c)] = (t, v)
    bad = 0
    for key in sorted(set(got) | set(want)):
        g, w = got.get(key), want.get(key)
        if w is None and g is not None and g[0] == "f":
            # A formula that shows nothing: sverka's grid leaves it out (the corpus check,
            # tests/interop/corpus.py, holds cleared formulas to POI's reading).
            continue
        where = "POI %s!R%dC%d" % (key[0], key[1] + 1, key[2] + 1)
        if g is None or w is None:
            ok = False
        else:
            (gt, gv), (t, v) = g, w
            ok = {
                "s": lambda: gt == "s" and gv == v,
                "n": lambda: gt == "n" and same_number(gv, v),
                "d": lambda: gt == "n" and same_number(gv, v),
                "b": lambda: gt == "b" and gv == v,
                "e": lambda: gt == "e",
            }[t]()
        if not ok:
            bad += 1
            if bad <= 5:
                errors.append("%s: got %r, expected %r" % (where, g and str(g)[:60], w and str(w)[:60]))


def check_view(case, errors):
    """Hidden columns, frozen panes, merged cells and sheet visibility, as xlrd reads them."""
    def view(path):
        book = xlrd.open_workbook(path, formatting_info=True, logfile=open(os.devnull, "w"))
        out = []
        for s in book.sheets():
            hidden = sorted(c for c, info in s.colinfo_map.items() if info.hidden)
            out.append((s.name, s.visibility, hidden, s.panes_are_frozen,
                        s.horz_split_pos, s.vert_split_pos, sorted(s.merged_cells)))
        return out
    got, want = view(case + ".xls"), view(case + ".original.xls")
    if got != want:
        errors.append("view differs: %r vs original %r" % (got, want))
    got, want = structure(case + ".xls"), structure(case + ".original.xls")
    if len(got) != len(want):
        errors.append("raw: %d sheets, original %d" % (len(got), len(want)))
    for i, ((gname, grecs), (wname, wrecs)) in enumerate(zip(got, want)):
        if gname != wname:
            errors.append("raw: BOUNDSHEET %d name/state changed" % i)
        if grecs != wrecs:
            changed = sorted({STRUCTURE_RECORDS[r] for r, _ in set(grecs) ^ set(wrecs)})
            errors.append("raw: sheet %d records changed: %s" % (i, ", ".join(changed) or "order"))


def csv_value_matches(text, t, v):
    if t == "s":
        return text == v
    if t == "b":
        return text.upper() in (("TRUE", "ИСТИНА", "1") if v else ("FALSE", "ЛОЖЬ", "0"))
    if t == "e":
        return text.startswith("#") or text.startswith("Err:")
    if t == "n":
        try:
            return same_number(float(text), v)
        except ValueError:
            return False
    if t == "d":
        want = EPOCH_DT + datetime.timedelta(days=float(v))
        # A serial with a fraction (a number written into a date cell) is a date and a time;
        # LibreOffice then writes the time too.
        for fmt in ("%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y %H:%M:%S"):
            try:
                got = datetime.datetime.strptime(text, fmt)
            except ValueError:
                continue
            if "%H" in fmt:
                return abs((got - want).total_seconds()) < 1
            return got.date() == want.date()
        try:
            return same_number(float(text), v)
        except ValueError:
            return False
    return False


def check_csv(case, exp, csv_dir, errors):
    base = os.path.basename(case)
    for want in exp["sheets"]:
        path = os.path.join(csv_dir, "%s-%s.csv" % (base, want["name"]))
        cells = expected_cells(want)
        if not os.path.exists(path):
            if cells:
                errors.append("LibreOffice: no CSV for sheet %s" % want["name"])
            continue
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                w = cells.pop((r, c), None)
                where = "LibreOffice %s!R%dC%d" % (want["name"], r + 1, c + 1)
                if w is None:
                    if text != "":
                        errors.append("%s: unexpected %r" % (where, text[:60]))
                elif not csv_value_matches(text, *w):
                    errors.append("%s: got %r, expected %s %r" % (where, text[:60], w[0], str(w[1])[:60]))
        for (r, c), (t, v) in sorted(cells.items())[:5]:
            errors.append("LibreOffice %s!R%dC%d: missing %s %r" % (want["name"], r + 1, c + 1, t, str(v)[:60]))


def main():
    if len(sys.argv) != 2:
        print("usage: check.py CASES_DIR")
        return 2
    cases = sorted(p[:-len(".expected.json")]
                   for p in glob.glob(os.path.join(sys.argv[1], "*.expected.json")))
    if not cases:
        print("interop: no cases in %s" % sys.argv[1])
        print("interop: 0 passed, 0 failed")
        return 2
    csv_dir = tempfile.mkdtemp(prefix="sverka-csv-")
    try:
        if not convert_to_csv([c + ".xls" for c in cases], csv_dir):
            print("interop: LibreOffice (soffice) is missing")
            print("interop: 0 passed, 0 failed")
            return 3
        run_cp, why = poi.build(os.path.join(sys.argv[1], "poi-classes"))
        if run_cp is None:
            print("interop: %s" % why)
            print("interop: 0 passed, 0 failed")
            return 3
        poi_cells = poi.dump(run_cp, [c + ".xls" for c in cases])
        passed = failed = 0
        for case in cases:
            with open(case + ".expected.json", encoding="utf-8") as f:
                exp = json.load(f)
            errors = []
            for step in (lambda: check_xlrd(case, exp, errors),
                         lambda: check_date_formats(case, errors),
                         lambda: check_poi(case, exp, poi_cells, errors),
                         lambda: check_view(case, errors),
                         lambda: check_csv(case, exp, csv_dir, errors)):
                try:
                    step()
                except Exception as e:  # a reader refusing the file is a failure, not a crash
                    errors.append("%s: %s" % (type(e).__name__, e))
            name = os.path.basename(case)
            if errors:
                failed += 1
                print("FAIL %s (%s)" % (name, exp.get("source")))
                for e in errors[:12]:
                    print("    " + e)
            else:
                passed += 1
                print("ok   %s (%s)" % (name, exp.get("source")))
        print("interop: %d passed, %d failed" % (passed, failed))
        return 0 if failed == 0 else 1
    finally:
        shutil.rmtree(csv_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
