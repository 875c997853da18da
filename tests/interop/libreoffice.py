"""LibreOffice headless as a reader for the interop checks: every sheet of a file converted
to CSV (UTF-8, all sheets, one file NAME-SHEET.csv each), and the number comparison the CSV
and the other readers share."""

import math
import shutil
import subprocess
import tempfile

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def same_number(a, b):
    """Equal up to rounding; two NaNs are the same value."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def convert_to_csv(files, out_dir, batch=None, check=True, timeout=900):
    """Converts `files` into out_dir, `batch` files per LibreOffice run (all at once by
    default; each run within `timeout` seconds); `check`: a failed run raises. False when
    LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return False
    profile = tempfile.mkdtemp(prefix="sverka-lo-profile-")
    step = batch or max(1, len(files))
    try:
        for i in range(0, len(files), step):
            subprocess.run([soffice, "-env:UserInstallation=file://" + profile, "--headless",
                            "--convert-to", CSV_FILTER, "--outdir", out_dir] + files[i:i + step],
                           check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return True
