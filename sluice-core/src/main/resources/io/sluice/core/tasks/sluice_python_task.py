"""Runs one function of a Sluice `python` task: reads the job as JSON on stdin, imports the
function, calls it with the task context and op_kwargs, and prints its return value as JSON on the
last line of stdout (the task's XCom)."""
import importlib
import importlib.util
import inspect
import json
import os
import sys


def load(job):
    if job.get("script"):
        script = job["script"]
        sys.path.insert(0, os.path.dirname(script))
        spec = importlib.util.spec_from_file_location("sluice_task_script", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        where = script
    else:
        module = importlib.import_module(job["module"])
        where = "module " + job["module"]
    fn = getattr(module, job["function"], None)
    if not callable(fn):
        print("sluice: %s has no function '%s'" % (where, job["function"]), file=sys.stderr)
        sys.exit(2)
    return fn


def arguments(fn, context, op_kwargs):
    kwargs = dict(op_kwargs)
    params = inspect.signature(fn).parameters
    takes_all = any(p.kind == p.VAR_KEYWORD for p in params.values())
    for key, value in context.items():
        if takes_all or key in params:
            kwargs.setdefault(key, value)
    return kwargs


def main():
    job = json.load(sys.stdin)
    fn = load(job)
    result = fn(**arguments(fn, job["context"], job.get("op_kwargs") or {}))
    sys.stdout.flush()
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
