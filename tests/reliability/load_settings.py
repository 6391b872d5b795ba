"""Gazette's settings for the servers the load tests start: the surge rule off.

The rule holds every comment after a story's first 60 in 10 minutes for a
moderator (a Python setting, not one from the environment); the load tests want
visible comments, whose counters are what concurrent writers put at risk.
"""

from gazette.settings import *  # noqa: F403

GAZETTE_PREMODERATE_SURGE = (0, 10)
