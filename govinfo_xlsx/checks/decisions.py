"""The words of a coordinating office's review decision on a finding (the 审核意见 list of
SUMMARY.xlsx's 问题清单, ``collect --review``): the lowest layer's facts, so that the JSON schema
(``results/schema.py``) and collect (``collect/store.py``, ``collect/review.py``) both import them downwards."""

from __future__ import annotations

ACCEPTED = "已核实"  # the office checked the finding and accepts it: no change needed
TO_CHANGE = "需修改"  # the agency must change it
DECISIONS = (ACCEPTED, TO_CHANGE)
