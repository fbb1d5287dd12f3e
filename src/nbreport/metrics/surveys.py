"""Survey scores: NPS, CSAT and CES, each with a confidence interval and a small-sample flag.

* **NPS** (Reichheld 2003, "The One Number You Need to Grow", HBR 81(12)):
  on the 0-10 likelihood-to-recommend scale, promoters answer 9-10, passives
  7-8, detractors 0-6; ``NPS = 100 x (promoters - detractors) / responses``,
  from -100 to +100. Interval: the adjusted Wald interval of Rocks (2016),
  "Interval Estimation for the 'Net Promoter Score'", The American
  Statistician 70(4): add 3/4 to promoters and to detractors and 3 to the
  responses, then ``nps' +- z sqrt((p' + d' - (p' - d')^2) / n')``.
* **CSAT**: the share of answers 4 or 5 on the 1-5 satisfaction scale
  (the "top-two-box" score), with a Wilson interval (see :mod:`.stats`).
* **CES**: the mean answer on the 1-7 scale of "The company made it easy for
  me to handle my issue" (CEB's Customer Effort Score 2.0; Dixon, Freeman &
  Toman 2010, "Stop Trying to Delight Your Customers", HBR 88(7)); higher is
  less effort. Interval: normal approximation of the mean.

Every result says when it rests on fewer responses than the client's
``customer_success.min_responses``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nbreport.metrics.stats import mean_interval, wilson_interval, z_for
from nbreport.core.period import Period

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
SATISFIED_MIN = 4
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


@dataclass(frozen=True)
class SurveyResult:
    """A survey score with its interval.

    Attributes
    ----------
    scale:
        ``nps``, ``csat`` or ``ces``.
    value:
        NPS in points (-100..100), CSAT as a share (0..1), CES as a mean (1..7).
    low, high:
        The confidence interval, in the same unit as ``value``.
    responses:
        Valid answers counted.
    small_sample:
        ``True`` when ``responses`` is below the minimum from params.
    counts:
        Answers per group: promoters/passives/detractors (NPS), satisfied/other (CSAT).
    """

    scale: str
    value: float
    low: float
    high: float
    responses: int
    small_sample: bool
    counts: dict[str, int]


def survey_scores(survey: pd.DataFrame, scale: str, period: Period | None = None) -> pd.Series:
    """The valid scores of one scale (inside ``period`` when given), as floats.

    Answers outside the scale's range (a 12 on a 0-10 scale, a blank) are not scores and
    are left out.
    """
    rows = survey[survey["scale"] == scale]
    if period is not None:
        rows = rows[(rows["date"] >= pd.Timestamp(period.start))
                    & (rows["date"] <= pd.Timestamp(period.end))]
    low, high = SCALES[scale]
    scores = pd.to_numeric(rows["score"], errors="coerce")
    return scores[scores.between(low, high)].astype("float64")


def nps(scores: pd.Series, *, confidence: float = 0.95, min_responses: int = 30) -> SurveyResult:
    """Net Promoter Score of 0-10 answers with the adjusted Wald interval (see module)."""
    values = np.asarray(scores, dtype="float64")
    n = len(values)
    promoters = int((values >= PROMOTER_MIN).sum())
    detractors = int((values <= DETRACTOR_MAX).sum())
    counts = {"promoters": promoters, "passives": n - promoters - detractors,
              "detractors": detractors}
    if n == 0:
        return SurveyResult("nps", math.nan, math.nan, math.nan, 0, True, counts)
    value = 100.0 * (promoters - detractors) / n
    adjusted_n = n + 3
    p = (promoters + 0.75) / adjusted_n
    d = (detractors + 0.75) / adjusted_n
    half = z_for(confidence) * math.sqrt((p + d - (p - d) ** 2) / adjusted_n)
    low, high = max(-1.0, p - d - half), min(1.0, p - d + half)
    return SurveyResult("nps", value, 100 * low, 100 * high, n, n < min_responses, counts)


def csat(scores: pd.Series, *, confidence: float = 0.95, min_responses: int = 30) -> SurveyResult:
    """Share of 4-5 answers on a 1-5 scale, with a Wilson interval."""
    values = np.asarray(scores, dtype="float64")
    n = len(values)
    satisfied = int((values >= SATISFIED_MIN).sum())
    low, high = wilson_interval(satisfied, n, confidence)
    value = satisfied / n if n else math.nan
    return SurveyResult("csat", value, low, high, n, n < min_responses,
                        {"satisfied": satisfied, "other": n - satisfied})


def ces(scores: pd.Series, *, confidence: float = 0.95, min_responses: int = 30) -> SurveyResult:
    """Mean answer on the 1-7 effort scale, with a normal-approximation interval."""
    values = np.asarray(scores, dtype="float64")
    n = len(values)
    low, high = mean_interval(values, confidence)
    value = float(values.mean()) if n else math.nan
    return SurveyResult("ces", value, low, high, n, n < min_responses,
                        {"easy": int((values >= 5).sum()), "other": int((values < 5).sum())})


SCORERS = {"nps": nps, "csat": csat, "ces": ces}
