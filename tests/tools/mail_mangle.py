#!/usr/bin/env python3
"""Mangle btmon text the way mail clients and web archives do, for pairscope's text-log round trip.

  mail_mangle.py VARIANT < btmon.txt > mangled.txt

Variants (combine with '+', e.g. quote2+wrap72+crlf):
  quoteN    prefix every line with N levels of "> " quoting (N = 1..3), prose above and below
  wrap72    re-flow lines longer than 72 columns at spaces (continuations keep the quote prefix)
  strip     remove all indentation (leading spaces)
  crlf      CRLF line ends, and trailing spaces on some lines
  flatten   join every line into one, runs of spaces squeezed (a web archive's rendering)
Stdlib only; deterministic.
"""
import re
import sys


def quote(lines, depth):
    q = "> " * depth
    head = ["On Thu, Jul 11, 2019 at 10:42 PM Someone <someone@example.org> wrote:", ">"]
    body = [(q + l) if l else q.rstrip() for l in lines]
    # a reply in the middle, one level less deep, as a person answers inline
    if len(body) > 40 and depth > 1:
        mid = len(body) // 2
        r = "> " * (depth - 1)
        body[mid:mid] = [r.rstrip(), r + "This looks weird here: why is Encryption Information > sent?", r.rstrip()]
    return head + body + ["", "Best regards,", "Someone"]


def wrap(lines, width):
    out = []
    for l in lines:
        m = re.match(r"^((?:> ?)*)(.*)$", l)
        prefix, text = m.group(1), m.group(2)
        while len(prefix) + len(text) > width and " " in text.strip():
            room = width - len(prefix)
            cut = text.rfind(" ", 0, room + 1)
            if cut <= 0:
                cut = text.find(" ", room)
                if cut <= 0:
                    break
            out.append((prefix + text[:cut]).rstrip())
            text = text[cut + 1:]
        out.append(prefix + text)
    return out


def main():
    variant = sys.argv[1] if len(sys.argv) > 1 else "quote2"
    lines = sys.stdin.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    parts = variant.split("+")
    for p in parts:
        if p == "strip":
            lines = [l.lstrip(" ") for l in lines]
    for p in parts:
        if p.startswith("quote"):
            lines = quote(lines, int(p[5:] or 1))
    for p in parts:
        if p.startswith("wrap"):
            lines = wrap(lines, int(p[4:] or 72))
    if "crlf" in parts:
        lines = [l + ("  " if i % 7 == 3 else "") for i, l in enumerate(lines)]
    if "flatten" in parts:
        text = re.sub(r" {2,}", " ", " ".join(lines)) + "\n"
    else:
        text = ("\r\n" if "crlf" in parts else "\n").join(lines) + "\n"
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
