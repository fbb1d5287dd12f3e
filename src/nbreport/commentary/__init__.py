"""Commentary: written by the analyst per client and period, bound to the numbers, checked against them.

* ``commentary/<client-id>/<period>.md`` holds the text, one ``## Section`` per report
  section (:mod:`~nbreport.commentary.document`); ``commentary/<client-id>/context.yaml``
  the dated events (:mod:`~nbreport.commentary.notes`).
* ``{{ revenue.change_pct }}`` placeholders are filled from a registry of values
  (:mod:`~nbreport.commentary.bindings`, :mod:`~nbreport.commentary.values`).
* Sentences are checked against the figures (:mod:`~nbreport.commentary.consistency`).
* Sections the analyst has not written get a marked draft (:mod:`~nbreport.commentary.drafts`).
* ``report.commentary`` ties them together (:mod:`~nbreport.commentary.compose`); the report
  cells show it (:mod:`nbreport.report.sections.commentary`); analysts edit it in JupyterLab
  (:mod:`~nbreport.commentary.workspace`).

Importing this package is cheap (params validation imports its settings model).
"""

from nbreport.commentary.errors import CommentaryError, CommentaryIssue
from nbreport.commentary.spec import CommentarySpec

__all__ = ["CommentaryError", "CommentaryIssue", "CommentarySpec"]
