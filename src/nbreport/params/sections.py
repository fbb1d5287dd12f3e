"""Which of the outline's sections a client's report holds, and in what order (``sections:``).

```yaml
sections:
  exclude: [forecast, budget]          # or only: [executive-summary, targets, trends, next-steps]
  order: [executive-summary, trends]   # these first, in this order; the others follow in outline order
```

Names are the ids of :data:`nbreport.report.outline.OUTLINE`; an unknown one is an error with
a did-you-mean. A part of a section (``### heading``, e.g. ``comparisons`` under ``targets``)
may be left out but moves with its section; the appendix (``appendix``, with its part
``data-sources``) always closes the report, since it says where every number came from and why a
section was left out. The appendix's other parts (comparisons, drivers...) may be excluded; ``only``
chooses among the body's sections.
"""

from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field, model_validator

from nbreport.core.strict_model import StrictModel

if TYPE_CHECKING:
    from nbreport.report.outline import Section

APPENDIX = "appendix"
ALWAYS = (APPENDIX, "data-sources")
DETAIL_OF = {"budget-detail": "budget", "forecast-record": "forecast",
             "customer-detail": "customer-success"}
"""The appendix's detail of a body section: it goes where that section goes."""
"""Never left out: the appendix and its data sources (where each number came from, and why a
section is missing)."""


@functools.cache
def _outline() -> tuple[Section, ...]:
    # read when a params file names sections, not when params are imported: the batch engine
    # imports params without the report package (tests/test_batch.py)
    from nbreport.report.outline import OUTLINE

    return OUTLINE


def _by_id() -> dict[str, Section]:
    return {section.id: section for section in _outline()}


def known_section(name: str) -> str:
    """``name`` if it is a section id of the outline; else an error saying which was meant."""
    by_id, by_title = _by_id(), {s.title.lower(): s.id for s in _outline()}
    if name in by_id:
        return name
    if name.lower() in by_title:  # the heading instead of the id
        raise ValueError(f"unknown section '{name}'; did you mean '{by_title[name.lower()]}'? "
                         "sections are named by their id")
    close = difflib.get_close_matches(name, [*by_id, *by_title], n=1, cutoff=0.6)
    hint = f"did you mean '{by_title.get(close[0], close[0])}'? " if close else ""
    raise ValueError(f"unknown section '{name}'; {hint}sections: {', '.join(by_id)}")


SectionName = Annotated[str, AfterValidator(known_section)]


class SectionsSpec(StrictModel):
    """The sections of one client's report (key ``sections:`` in a params file).

    Attributes
    ----------
    only:
        Just these sections (with the appendix); ``None``: every section.
    exclude:
        Sections left out, e.g. ``[forecast, budget]``.
    order:
        Sections shown first, in this order; the others follow in the outline's order.
    """

    only: list[SectionName] | None = Field(
        default=None, description="Just these sections (the appendix is always shown).")
    exclude: list[SectionName] = Field(default_factory=list, description="Sections left out.")
    order: list[SectionName] = Field(
        default_factory=list,
        description="Sections first, in this order; the others follow in the outline's order.")

    @model_validator(mode="after")
    def _consistent(self) -> SectionsSpec:
        if self.only is not None and self.exclude:
            raise ValueError("give only or exclude, not both: only lists what the report holds, "
                             "exclude what it leaves out")
        fixed = [name for name in ALWAYS if name in self.exclude or name in self.order]
        if fixed:
            raise ValueError(f"'{fixed[0]}' is the appendix (where every number came from): it always "
                             "closes the report (remove it from exclude and order)")
        for name in self.order:
            if _by_id()[name].level != 2 and _parent(name).id == APPENDIX:
                raise ValueError(f"'{name}' is a part of the appendix, which always closes the "
                                 "report; it cannot be ordered (exclude it to leave it out)")
            if _by_id()[name].level != 2:
                raise ValueError(f"'{name}' is a part of the section above it and moves with it; "
                                 f"order '{_parent(name).id}' instead")
            if name in self.exclude or (self.only is not None and name not in self.only):
                raise ValueError(f"order names '{name}', which the report leaves out")
        repeated = sorted({n for n in self.order if self.order.count(n) > 1})
        if repeated:
            raise ValueError(f"order names {', '.join(repeated)} more than once")
        return self

    def wanted(self) -> tuple[str, ...]:
        """The ids of the sections the client wants, in report order (parts after their section)."""
        chosen = [s for s in _outline() if self._included(s)]
        ordered = [_by_id()[name] for name in self.order]
        rest = [s for s in chosen if s.level == 2 and s not in ordered and s.id != APPENDIX]
        tops = [*ordered, *rest, _by_id()[APPENDIX]]
        return tuple(s.id for top in tops for s in (top, *_parts(top)) if s in chosen)

    def _included(self, section: Section) -> bool:
        if section.id in ALWAYS:
            return True
        parent = _parent(section.id) if section.level != 2 else None
        if section.id in DETAIL_OF and not self._included(_by_id()[DETAIL_OF[section.id]]):
            return False  # no budget section, no budget detail in the appendix
        if parent is not None and parent.id == APPENDIX:
            return section.id not in self.exclude  # ``only`` chooses among the body's sections
        if parent is not None and not self._included(parent):
            return False  # a part goes with its section
        if self.only is not None:
            return section.id in self.only or (parent is not None and parent.id in self.only)
        return section.id not in self.exclude


def _parent(section_id: str) -> Section:
    """The level-2 section a part (a ``###`` heading) belongs to: the one above it."""
    outline = _outline()
    index = next(i for i, s in enumerate(outline) if s.id == section_id)
    return next(s for s in reversed(outline[:index]) if s.level == 2)


def _parts(section: Section) -> list[Section]:
    """The parts (level 3) that follow ``section`` in the outline."""
    outline = _outline()
    index = outline.index(section)
    parts = []
    for follower in outline[index + 1:]:
        if follower.level == 2:
            break
        parts.append(follower)
    return parts
