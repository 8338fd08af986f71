"""Named rule sets and their sources.

- ``mdc``: NHS England, Making Data Count Single Chart Tool v5 (and its XmR test pack): shift of 6
  points, trend of 6 points (5 consecutive moves), limits from 13 points, no moving-range
  screening, two-of-three beyond two sigma, rules allowed to run across a recalculation.
- ``nhsr``: the NHS-R community's NHSRplotthedots R package. Its rules
  (``ptd_calculate_point_type``) use 7-point shifts and trends and do include a two-in-three rule
  (``ptd_two_in_three``), moving ranges are screened (``screen_outliers = TRUE``: ranges of
  3.267 x the mean or more are dropped and the mean recomputed), the rules are evaluated per
  rebase group, and groups shorter than 12 points are warned about
  (``ptd_add_short_group_warnings``; ``fix_after_n_points`` must be at least 12).
- ``ihi``: Perla, Provost & Murray (2011), "The run chart: a simple analytical tool for learning
  from variation in healthcare processes", BMJ Qual Saf 20:46-51: shift of 6 or more, trend of 5 or
  more, too few or too many runs; run charts need at least 10 useful observations.
- ``anhoj``: Anhøj & Olesen (2014), "Run charts revisited", PLoS ONE 9(11): e113825: the longest run
  and number of crossings limits depend on the number of points, so the fixed shift length and the
  trend rule (shown there to be of no use) are off (0); 10 points minimum as for ``ihi``.
"""

from dataclasses import fields

from app.analytics.types import RuleSet

_PRESETS: dict[str, RuleSet] = {
    "mdc": RuleSet("mdc", 6, 6, 13, False, True, True),
    "nhsr": RuleSet("nhsr", 7, 7, 12, True, True, False),
    "ihi": RuleSet("ihi", 6, 5, 10, False, False, False),
    "anhoj": RuleSet("anhoj", 0, 0, 10, False, False, False),
}

_SETTABLE = {f.name: f.type for f in fields(RuleSet) if f.name not in {"preset", "overridden"}}


def preset(name: str, **overrides: int | bool) -> RuleSet:
    """The named rule set with `overrides` applied; raises ValueError on anything nonsensical."""
    if name not in _PRESETS:
        raise ValueError(f"unknown rule preset {name!r}; expected one of {sorted(_PRESETS)}")
    base = _PRESETS[name]
    for key, value in overrides.items():
        _check(key, value)
    changed = tuple(key for key, value in overrides.items() if getattr(base, key) != value)
    return RuleSet(**{**vars(base), **overrides, "overridden": changed})


def _check(key: str, value: int | bool) -> None:
    if key not in _SETTABLE:
        raise ValueError(f"unknown rule parameter {key!r}; expected one of {sorted(_SETTABLE)}")
    wants_bool = _SETTABLE[key] is bool
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if not (isinstance(value, bool) if wants_bool else is_int):
        raise ValueError(f"{key} must be {'true or false' if wants_bool else 'a whole number'}")
    if key in {"shift_points", "trend_points"} and (value < 0 or value == 1):
        raise ValueError(f"{key} must be 0 (rule off) or at least 2")
    if key == "minimum_points" and value < 2:
        raise ValueError("minimum_points must be at least 2")
