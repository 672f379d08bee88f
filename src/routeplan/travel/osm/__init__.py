"""Road travel from an OpenStreetMap extract.

Road travel from an OpenStreetMap extract: graph, access to the network, chain contraction,
matrices (cached) and road geometry of legs.
"""
