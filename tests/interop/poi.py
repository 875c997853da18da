"""Apache POI (HSSF) as a reader for the interop checks: compiles PoiDump.java once and reads
many files in one JVM.

The jars come from Debian's libapache-poi-java (with commons-collections4, commons-math3 and
commons-codec); SVERKA_POI_CLASSPATH overrides where they are.
"""

import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
JARS = ["poi.jar", "commons-collections4.jar", "commons-math3.jar", "commons-codec.jar"]
JAR_DIR = "/usr/share/java"


def classpath():
    """The jars POI needs, or None if they are not installed."""
    env = os.environ.get("SVERKA_POI_CLASSPATH")
    if env:
        return env
    jars = [os.path.join(JAR_DIR, j) for j in JARS]
    if not all(os.path.exists(j) for j in jars[:3]):
        return None
    return os.pathsep.join(j for j in jars if os.path.exists(j))


def build(out_dir):
    """Compiles PoiDump into out_dir; returns the classpath to run it, or None with a reason."""
    cp = classpath()
    if cp is None:
        return None, "Apache POI jars are missing (Debian: libapache-poi-java)"
    if shutil.which("javac") is None or shutil.which("java") is None:
        return None, "java/javac are missing"
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(["javac", "-nowarn", "-cp", cp, "-d", out_dir,
                    os.path.join(HERE, "PoiDump.java")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return cp + os.pathsep + out_dir, None


def dump(run_cp, paths, batch=200):
    """Reads every path with POI: {path: {(sheet name, row, col): (type, value)}} or
    {path: error text}."""
    out = {}
    for i in range(0, len(paths), batch):
        part = paths[i:i + batch]
        subprocess.run(["java", "-Xmx1g", "-cp", run_cp, "PoiDump"] + part, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
        for p in part:
            if os.path.exists(p + ".poi.err"):
                with open(p + ".poi.err", encoding="utf-8", errors="replace") as f:
                    out[p] = f.readline().strip() or "POI failed"
                continue
            cells = {}
            with open(p + ".poi.tsv", encoding="utf-8") as f:
                for line in f:
                    s, r, c, t, v = line.rstrip("\n").split("\t", 4)
                    v = unescape(v)
                    if t == "n":
                        v = float(v)
                    elif t == "b":
                        v = v == "1"
                    cells[(unescape(s), int(r), int(c))] = (t, v)
            out[p] = cells
    return out


def unescape(v):
    out = []
    it = iter(v)
    for ch in it:
        if ch == "\\":
            nxt = next(it, "")
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(nxt, nxt))
        else:
            out.append(ch)
    return "".join(out)
