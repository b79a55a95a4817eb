"""Runs ansible-inventory many times in one Python process: the same entry point as
/usr/bin/ansible-inventory (ansible.cli.inventory.main), without paying Python's and
Ansible's start-up (~1 s, much more on a busy machine) for every comparison.

stdin: a JSON list of argument lists; stdout: a JSON list of {"rc", "stdout", "stderr"}.
"""
import contextlib
import io
import json
import sys

from ansible.cli.inventory import main
from ansible.plugins.vars import host_group_vars
from ansible.utils.context_objects import GlobalCLIArgs

results = []
for args in json.load(sys.stdin):
    # State a single run of the program never resets: its parsed command line (a singleton)
    # and the files host_group_vars found per entity and path.
    GlobalCLIArgs._Singleton__instance = None
    host_group_vars.FOUND.clear()
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["ansible-inventory", *args])
        except SystemExit as e:
            rc = e.code
    results.append({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
