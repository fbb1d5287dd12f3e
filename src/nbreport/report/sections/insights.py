"""Wins and challenges: both sides, always, each a plain sentence with its numbers."""

from __future__ import annotations

import math

from nbreport.core.formatting import Formatter
from nbreport.metrics.insights import Insight
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render


def _row(insight: Insight, fmt: Formatter) -> dict[str, str]:
    evidence = []
    if not math.isnan(insight.p_value):
        evidence.append("p < 0.001" if insight.p_value < 0.001 else f"p = {insight.p_value:.3f}")
    if not math.isnan(insight.volume):
        evidence.append(f"volume {fmt.value(insight.volume, 'count')}")
    return {"sentence": insight.sentence, "topic": insight.topic,
            "evidence": ", ".join(evidence)}


def wins_and_challenges(report: Report) -> Fragment:
    """Two lists, wins and challenges, best first; an empty side says why it is empty."""
    found = report.results.insights
    sides = [{"title": title, "css": side, "rows": [_row(i, report.fmt) for i in insights],
              "empty": found.empty_note(side)}
             for title, side, insights in (("Wins", "win", found.wins),
                                           ("Challenges", "challenge", found.challenges))]
    text = f"Wins and challenges: {len(found.wins)} wins, {len(found.challenges)} challenges"
    return render("insights.html.j2", text, sides=sides, period=report.results.reported.label,
                  previous=report.results.previous_label)
