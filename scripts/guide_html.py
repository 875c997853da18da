#!/usr/bin/env python3
"""Turns the Russian guide (docs/руководство.md, the Markdown subset the app's F1 window
renders: headings, bullets, paragraphs, **bold**, `code`, pictures on their own line) into one
HTML page for the release packages: an officer double-clicks it and reads it in the browser.

usage: guide_html.py GUIDE.md OUT.html TITLE
"""

import html
import re
import sys

IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]+)\)\s*$")


def inline(text):
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def convert(lines):
    out, in_list, para = [], False, []

    def flush():
        nonlocal in_list, para
        if para:
            out.append("<p>%s</p>" % inline(" ".join(para)))
            para = []
        if in_list:
            out.append("</ul>")
            in_list = False

    for raw in lines:
        line = raw.rstrip("\n")
        image = IMAGE.match(line)
        if line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            out.append("<h%d>%s</h%d>" % (level, inline(line[level:].strip()), level))
        elif image:
            flush()
            out.append('<figure><img src="%s" alt="%s"><figcaption>%s</figcaption></figure>'
                       % (html.escape(image["src"]), html.escape(image["alt"]),
                          inline(image["alt"])))
        elif line.startswith("- "):
            if para:
                out.append("<p>%s</p>" % inline(" ".join(para)))
                para = []
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append("<li>%s</li>" % inline(line[2:]))
        elif not line.strip():
            flush()
        else:
            if in_list:
                out.append("</ul>")
                in_list = False
            para.append(line.strip())
    flush()
    return "\n".join(out)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        body = convert(f)
    page = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>%s — руководство</title>
<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
img { max-width: 100%%; border: 1px solid #bbb; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 90%%; }
code { background: #f3f3f3; padding: 0 .2em; }
</style></head><body>
%s
</body></html>
""" % (html.escape(sys.argv[3]), body)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
