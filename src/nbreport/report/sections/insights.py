"""Wins and challenges: both sides, always, each a plain sentence with its numbers."""

from __future__ import annotations

from nbreport.metrics.insights import Insight
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render


def _row(insight: Insight) -> dict[str, str]:
    # the test and the counts behind it are the analyst's; the client reads the sentence
    return {"sentence": insight.sentence, "topic": insight.topic}


def top_insights(report: Report) -> dict[str, dict[str, str] | None]:
    """The top win and the top challenge (``None`` for an empty side), for the first screen."""
    found = report.results.insights
    return {"win": _row(found.wins[0]) if found.wins else None,
            "challenge": _row(found.challenges[0]) if found.challenges else None}


def wins_and_challenges(report: Report) -> Fragment:
    """Two lists, wins and challenges, best first, without the top ones the summary shows;
    an empty side says why it is empty."""
    found = report.results.insights
    sides = [{"title": title, "css": side, "rows": [_row(i) for i in insights[1:]],
              "empty": found.empty_note(side) if not insights else
              f"Nothing else cleared the bar; the top {side} is in the summary above."}
             for title, side, insights in (("More wins", "win", found.wins),
                                           ("More challenges", "challenge", found.challenges))]
    text = f"Wins and challenges: {len(found.wins)} wins, {len(found.challenges)} challenges"
    return render("insights.html.j2", text, sides=sides, period=report.results.reported.label,
                  previous=report.results.previous_label)
