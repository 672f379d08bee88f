"""Sales capacity: cost to serve every account, its channel, what-if scenarios and headcount.

Pure core (dataframes and settings in, plain results out):

- :mod:`~routeplan.capacity.travel_share`: each account's share of the routed drive;
- :mod:`~routeplan.capacity.costs`: visits a year, cost to serve, margin after service;
- :mod:`~routeplan.capacity.recommend`: keep, reduce cadence, remote channel or review;
- :mod:`~routeplan.capacity.scenario`: what-if scenarios (reps, cadence, day end, channels);
- :mod:`~routeplan.capacity.headcount`: the workload method (reps needed, what fits);
- :mod:`~routeplan.capacity.evaluate`: one scenario after an automatic zones balance.
"""
