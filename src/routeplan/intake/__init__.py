"""From a sales team's own data to a plan-ready folder.

Settings proposed from the data (``init``: time zone, holidays, language and currency from the
clients' coordinates) and the setup checks run before planning.
"""

from routeplan.intake.init import Proposal, proposal_toml, propose

__all__ = ["Proposal", "proposal_toml", "propose"]
