"""People."""

from pipeline.stages.people._all import *  # noqa: F401,F403
from pipeline.stages.people._all import canonical_name, link_people  # noqa: F401
