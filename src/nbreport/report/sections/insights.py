"""Wins and challenges: both sides, always, each a plain sentence with its numbers."""

from __future__ import annotations

from nbreport.i18n import N_, _
from nbreport.metrics.insights import Insight
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render


# each side's title, and what an empty side says when its top one is in the summary
SIDES = (("win", N_("More wins"),
          N_("Nothing else cleared the bar; the top win is in the summary above.")),
         ("challenge", N_("More challenges"),
          N_("Nothing else cleared the bar; the top challenge is in the summary above.")))


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
    listed = {"win": found.wins, "challenge": found.challenges}
    sides = [{"title": _(title), "css": side, "rows": [_row(i) for i in listed[side][1:]],
              "empty": found.empty_note(side) if not listed[side] else _(rest_shown)}
             for side, title, rest_shown in SIDES]
    text = f"Wins and challenges: {len(found.wins)} wins, {len(found.challenges)} challenges"
    return render("insights.html.j2", text, sides=sides, period=report.results.reported.label,
                  previous=report.results.previous_label)
