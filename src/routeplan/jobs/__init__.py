"""One module per command's job (inputs → files): build, tier, zones, travel.

The only layer besides the CLI that opens the plan store or writes files; the CLI imports a job
when its command runs, so ``routeplan --help`` stays fast.
"""
