#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Elves processor entry (reference §9.5): serves AppService over Thrift for one app.

For tasks in mode P the Elves Scheduler calls AppService.runProcessor(Reinstruct) here with the
task's complete Instruct (id, ip of the agent, type, mode, app, func, param, timeout, proxy), the
worker's flag (1 true, 0 false, -1 system error), its costtime (ms) and its message. This entry
answers "success" at once and calls the user's module, process(ins, flag, costtime, message), in
a thread of its own, so a slow processor never holds the Scheduler.

    python3 app-processor.py --app apptest --host 127.0.0.1 --port 10010 --module ./processor.py [-- module args]

--module is a file (path ending in .py) or an importable module name. When the module has a
function setup(args), it is called once with the arguments after "--" before serving. Register the
address with the center: elves.processor.apptest=127.0.0.1:10010 (ZooKeeper /elves as
{"processor": {"apptest": "127.0.0.1:10010"}}). --port 0 takes a free port; the line
"listening on host:port" on stdout says which.

Wire: binary protocol, buffered unframed transport, as the original's processors. Needs the Thrift
library for Python 3 (Debian: apt-get install python3-thrift); the generated code is in elves_thrift/.
"""
import argparse
import importlib
import importlib.util
import logging
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

try:
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TSocket, TTransport
except ImportError:
    sys.stderr.write("app-processor.py needs the Thrift library for Python 3: apt-get install python3-thrift\n")
    sys.exit(3)

from elves_thrift import AppService  # noqa: E402  (after the path and library checks)

LOG = logging.getLogger("elves.processor")


def load_module(spec):
    """A module by file path (…/x.py) or by name; it must define process(ins, flag, costtime, message)."""
    if spec.endswith(".py") or os.sep in spec:
        path = os.path.abspath(spec)
        name = os.path.splitext(os.path.basename(path))[0]
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or not os.path.isfile(path):
            raise SystemExit("app-processor.py: no module file %s" % path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    else:
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        module = importlib.import_module(spec)
    if not callable(getattr(module, "process", None)):
        raise SystemExit("app-processor.py: module %s has no function process(ins, flag, costtime, message)" % spec)
    return module


class Handler(object):
    """AppService.Iface: runProcessor starts the user's process in a daemon thread and answers at once."""

    def __init__(self, app, process):
        self.app = app
        self.process = process

    def runProcessor(self, reins):
        ins = reins.ins
        if self.app and ins is not None and ins.app and ins.app != self.app:
            LOG.warning("task %s is of app [%s], this processor serves [%s]; delivered anyway", ins.id, ins.app, self.app)
        worker = threading.Thread(target=self._run, args=(ins, reins.flag, reins.costtime, reins.result),
                                  name="processor-%s" % (ins.id if ins is not None else "?"))
        worker.daemon = True
        worker.start()
        return "success"

    def _run(self, ins, flag, costtime, message):
        try:
            self.process(ins, flag, costtime, message)
        except Exception:
            LOG.exception("process() failed for task %s", ins.id if ins is not None else "?")


def serve_client(processor, client):
    transport = TTransport.TBufferedTransport(client)
    protocol = TBinaryProtocol.TBinaryProtocol(transport)
    try:
        while True:
            processor.process(protocol, protocol)
    except TTransport.TTransportException:
        pass  # the caller closed the connection
    except Exception:
        LOG.exception("connection failed")
    finally:
        transport.close()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    module_args = []
    if "--" in argv:
        cut = argv.index("--")
        argv, module_args = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(prog="app-processor.py", description="Elves processor: AppService over Thrift")
    parser.add_argument("--app", required=True, help="the app whose results this processor takes")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=10010, help="port to listen on (default 10010; 0 = a free one)")
    parser.add_argument("--module", required=True, help="user module: file.py or module name with process(ins, flag, costtime, message)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    module = load_module(args.module)
    if callable(getattr(module, "setup", None)):
        module.setup(module_args)
    processor = AppService.Processor(Handler(args.app, module.process))
    server = TSocket.TServerSocket(host=args.host, port=args.port)
    server.listen()
    port = server.handle.getsockname()[1]
    sys.stdout.write("elves processor [%s] listening on %s:%d\n" % (args.app, args.host, port))
    sys.stdout.flush()
    try:
        while True:
            client = server.accept()
            if client is None:
                continue
            t = threading.Thread(target=serve_client, args=(processor, client), name="processor-connection")
            t.daemon = True
            t.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()
