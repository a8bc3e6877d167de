"""For you: papers ranked by how likely this user is to want them, learned from their signals.

signals.py reads the user's bookmarks, tags, notes, read marks and dismissals; profile.py
turns the signalled papers' vectors into a profile of topics; ranking.py scores the library
against it; reasons.py says why each paper is offered; newest.py stands in while there is
nothing to learn from; feed.py ties them together. The library offers it as
`Library.for_you`.
"""

from reader.core.recommend.feed import NO_SIGNALS, for_you
from reader.core.recommend.results import ForYouHit, ForYouResult

__all__ = ["NO_SIGNALS", "ForYouHit", "ForYouResult", "for_you"]
