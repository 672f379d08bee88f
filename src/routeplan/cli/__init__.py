"""The ``routeplan`` command line.

The ``routeplan`` command line: the click group in :mod:`routeplan.cli.main`, shared options,
one module per command group; the only layer that prints.
"""
