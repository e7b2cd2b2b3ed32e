#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Elves worker entry for Python 3 apps (reference section 9.2).

The agent runs:   python3 <apps>/<app>/app-worker.py <app> <func> <base64 of the param JSON>
This file imports <app>.py from its own directory, makes an instance of the class named <app>,
calls its method <func>(param) and prints

    <ElvesWFlag>{flag}</ElvesWFlag> <ElvesWResult>{result}</ElvesWResult>

to stdout in UTF-8. A method returns (flag, result): flag "true" or "false" (True/False work too),
result any value (str as is, dict/list as JSON, anything else through str()). Any failure, a bad
param, an unknown func or an exception, is reported as flag "false" with the reason or the
traceback: the entry never fails without printing both tags.

Debug by hand:  python3 app-worker.py apptest helloword $(printf '{"my":"hi"}' | base64)
"""
# Imports are kept to what every call needs: a worker is a fresh interpreter per call, and a
# 100-agent fan-out on 2 cores is bound by interpreter start-up. base64 and json both import re
# (about 10 ms, as much as the interpreter itself), so base64 is done with binascii, JSON is
# read with the json module's own C scanner, and traceback is imported only on failure.
import binascii
import os
import sys

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

USAGE = "param error: usage: app-worker.py <app> <func> [base64 of the param JSON]"


def emit(flag, result):
    text = "<ElvesWFlag>%s</ElvesWFlag> <ElvesWResult>%s</ElvesWResult>" % (flag, result)
    out = sys.stdout.buffer
    out.write(text.encode("utf-8", "replace"))
    out.flush()


def as_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        import json
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_flag(flag):
    if flag is True:
        return "true"
    if flag is False:
        return "false"
    return as_text(flag)


def b64decode(text):
    """Standard base64 with padding; anything else is an error, as base64.b64decode(validate=True)."""
    data = text.encode("ascii")
    try:
        return binascii.a2b_base64(data, strict_mode=True)
    except TypeError:  # Python before 3.11 has no strict mode
        if data.translate(None, _B64_ALPHABET):
            raise binascii.Error("Only base64 data is allowed")
        return binascii.a2b_base64(data)


_JSON_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}
_JSON_WHITESPACE = " \t\n\r"


class _JsonContext(object):
    """What json.JSONDecoder() hands its C scanner: the same defaults, hence the same results."""
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _JSON_CONSTANTS.__getitem__
    memo = {}


def loads_json(text):
    """json.loads(text), without importing json (and re) unless the text is not plain valid JSON."""
    try:
        import _json
        scan = _json.make_scanner(_JsonContext())
        s = text.lstrip(_JSON_WHITESPACE)
        value, end = scan(s, 0)
        if not s[end:].strip(_JSON_WHITESPACE):
            return value
    except Exception:  # no C scanner, or an error: json.loads gives the real message
        pass
    import json
    return json.loads(text)


def decode_param(encoded):
    """The param JSON, decoded; no param (or an empty one) is an empty object."""
    if not encoded:
        return {}
    text = b64decode(encoded).decode("utf-8")
    if not text.strip():
        return {}
    return loads_json(text)


def run(argv):
    if len(argv) not in (3, 4):
        return "false", USAGE
    app, func = argv[1], argv[2]
    if not app.isidentifier():
        return "false", "app name [%s] is not a Python module name" % app
    try:
        param = decode_param(argv[3] if len(argv) == 4 else "")
    except (binascii.Error, ValueError) as e:
        return "false", "param error: not base64 of UTF-8 JSON text: %s" % e
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    module = __import__(app)
    cls = getattr(module, app, None)
    if not isinstance(cls, type):
        return "false", "%s.py has no class named [%s]" % (app, app)
    instance = cls()
    method = None if func.startswith("_") else getattr(instance, func, None)
    if not callable(method):
        return "false", "unknown func [%s] of app [%s]" % (func, app)
    outcome = method(param)
    if not (isinstance(outcome, tuple) and len(outcome) == 2):
        return "false", "func [%s] must return (flag, result), it returned %r" % (func, outcome)
    flag, result = outcome
    return as_flag(flag), as_text(result)


def main():
    try:
        flag, result = run(sys.argv)
    except BaseException:  # the app's own errors, SystemExit included, become a false result
        import traceback
        flag, result = "false", traceback.format_exc()
    emit(flag, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
