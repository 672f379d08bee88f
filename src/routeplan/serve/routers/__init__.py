"""One router per resource of the field app: access, stops, visits, replan, summary."""
