# -*- coding: utf-8 -*-
"""The example processor of apptest: appends each delivery as one JSON line to a file.

Run it with the SDK's processor entry (on the port apptest's appcfg.json names):

    python3 sdk/python/processor/app-processor.py --app apptest --port 10010 \
        --module examples/apptest/processor.py -- --out /tmp/apptest-deliveries.jsonl

The file is the argument --out (after "--"), else $APPTEST_PROCESSOR_OUT, else
apptest-processor.jsonl in the current directory. Each line: {id, agent_ip, type, mode, app, func,
param, flag, costtime, message}.
"""
import json
import os
import threading

_lock = threading.Lock()
_out = None


def setup(args):
    global _out
    if "--out" in args and args.index("--out") + 1 < len(args):
        _out = args[args.index("--out") + 1]


def _path():
    return _out or os.environ.get("APPTEST_PROCESSOR_OUT") or "apptest-processor.jsonl"


def process(ins, flag, costtime, message):
    record = {
        "id": ins.id,
        "agent_ip": ins.ip,
        "type": ins.type,
        "mode": ins.mode,
        "app": ins.app,
        "func": ins.func,
        "param": ins.param,
        "flag": flag,
        "costtime": costtime,
        "message": message,
    }
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _lock:
        with open(_path(), "a", encoding="utf-8") as f:
            f.write(line)
