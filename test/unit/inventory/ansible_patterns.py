"""Resolves host patterns with Ansible's own InventoryManager (the oracle for kplay's pattern.ts).

stdin: {"sources": [...], "cases": [{"pattern": str | [str], "limit": str | null}]}
stdout: one entry per case: {"hosts": [...], "warnings": [...]} or {"error": message}
"""
import json
import sys

from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.utils.display import Display

warnings = []
Display.warning = lambda self, msg, formatted=False: warnings.append(msg)

request = json.load(sys.stdin)
inventory = InventoryManager(loader=DataLoader(), sources=request["sources"])
results = []
for case in request["cases"]:
    warnings.clear()
    inventory.clear_caches()
    try:
        inventory.subset(case.get("limit"))
        hosts = [h.name for h in inventory.get_hosts(case["pattern"])]
        results.append({"hosts": hosts, "warnings": list(warnings)})
    except AnsibleError as e:
        results.append({"error": str(e)})
    finally:
        inventory.subset(None)
print(json.dumps(results))
