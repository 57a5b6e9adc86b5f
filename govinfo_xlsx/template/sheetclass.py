"""The worksheet class the template writer gives xlsxwriter: one that prepares each formula once.

xlsxwriter prepares every formula it writes (strips the ``=``, prefixes Excel's newer functions with
``_xlfn.``) with about a hundred regular-expression substitutions, and does so again for each conditional
format and data validation.  A template writes the same few hundred formulas every time, so the
prepared text is kept per formula (a pure function of the formula and the sheet's future-function
setting): a template is built about a third faster.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

_PREPARED: dict[tuple[Any, ...], str] = {}
_LIMIT = 20_000  # formulas kept; emptied when full (a template has a few hundred distinct ones)


class PreparedOnce(Worksheet):
    def _prepare_formula(self, *args: Any, **kwargs: Any) -> str:  # xlsxwriter's own, memoised
        key = (self.use_future_functions, args, tuple(sorted(kwargs.items())))
        hit = _PREPARED.get(key)
        if hit is None:
            if len(_PREPARED) >= _LIMIT:
                _PREPARED.clear()
            hit = _PREPARED[key] = super()._prepare_formula(*args, **kwargs)
        return hit
