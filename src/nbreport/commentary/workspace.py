"""The analyst workspace: write a client's commentary in JupyterLab beside its numbers.

:class:`CommentaryEditor` holds the state and does the work (open a client and
period, edit a section, preview it with live numbers and consistency flags, adopt a
draft, save the file); :class:`AnalystWorkspace` puts ipywidgets around it. Widgets
are for authoring only: the master notebook never shows one, and a client's HTML
keeps no widget output (see :mod:`nbreport.render.export`).

Open ``notebooks/analyst_workspace.ipynb`` in JupyterLab, or::

    from nbreport.commentary.workspace import AnalystWorkspace
    AnalystWorkspace(project_dir="..", client_id="northwind-outfitters")
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import escape

from nbreport.commentary.bindings import Bindings
from nbreport.commentary.compose import consistency_checker
from nbreport.commentary.consistency import ConsistencyChecker, Flag
from nbreport.commentary.document import SECTIONS, approves_draft, parse_commentary, render_commentary
from nbreport.commentary.drafts import write_draft
from nbreport.commentary.markup import RenderedText, render_text
from nbreport.commentary.store import display_path, write_client_file
from nbreport.core.errors import NbreportError

log = logging.getLogger(__name__)
PANELS = ("Key numbers", "Charts", "Placeholders")


class CommentaryEditor:
    """One client's commentary for one period, being edited.

    Parameters
    ----------
    project_dir:
        The project folder (``params/``, ``data/``, ``commentary/``).
    client_id, period:
        Whose commentary, and for which period (default: the period of the client's params).
    data_dir:
        Where client data folders live; defaults to ``<project_dir>/data``.
    """

    def __init__(self, project_dir: str | Path, client_id: str, period: str | None = None,
                 data_dir: str | Path | None = None) -> None:
        from nbreport.report import open_report

        self.project_dir = Path(project_dir).resolve()
        self.report = open_report(client_id, period=period or None, project_dir=self.project_dir,
                                  data_dir=data_dir)
        self.client_id = client_id
        self.view = self.report.commentary.view
        self.path = self.report.commentary.file.path
        self.display = self.report.commentary.file.display
        self.bindings = Bindings(self.view)
        self.checker: ConsistencyChecker = consistency_checker(self.view)
        text = self.report.commentary.file.text
        written = parse_commentary(text, self.display) if text is not None else {}
        self.texts = {section_id: written[section_id].text if section_id in written else ""
                      for section_id in SECTIONS}
        self._saved = dict(self.texts)

    @property
    def dirty(self) -> bool:
        """Whether there are changes that are not saved."""
        return self.texts != self._saved

    def set_text(self, section_id: str, text: str) -> RenderedText:
        """Replace a section's text; returns its preview."""
        self.texts[self._known(section_id)] = text
        return self.preview(section_id)

    def preview(self, section_id: str) -> RenderedText:
        """The section as the report will show it: the analyst's text, checked, or the draft."""
        text = self.texts[self._known(section_id)]
        if not text.strip() or approves_draft(text):  # the draft, unreviewed or approved
            return render_text(self.draft(section_id), self.bindings, section=SECTIONS[section_id].title)
        return render_text(text, self.bindings, check=self.checker.check, section=SECTIONS[section_id].title)

    def draft(self, section_id: str) -> str:
        """The draft written from the numbers (Markdown with placeholders)."""
        return write_draft(self.view, self._known(section_id))

    def flags(self) -> list[Flag]:
        """Every flagged statement of every written section."""
        return [flag for section_id, text in self.texts.items() if text.strip()
                for flag in self.preview(section_id).flags]

    def placeholders(self) -> list[tuple[str, str]]:
        """(placeholder, its value for this report) for every placeholder, sorted."""
        return [(name, self.bindings.text(name)) for name in self.bindings.names()]

    def save(self) -> Path:
        """Write the commentary file (atomically) and return its path.

        Raises
        ------
        CommentaryError
            When a section uses a placeholder that does not exist: the file would stop
            the client's report, so it is not written.
        """
        from nbreport.commentary.errors import CommentaryError

        problems = [p for section_id, text in self.texts.items() if text.strip()
                    for p in self.preview(section_id).problems]
        if problems:
            raise CommentaryError(self.display, problems)
        title = f"{self.view.client_name}, {self.view.period.label}"
        write_client_file(self.path, self.project_dir, self.client_id, render_commentary(self.texts, title))
        self._saved = dict(self.texts)
        log.info("saved %s", self.display)
        return self.path

    def revert(self, section_id: str) -> str:
        """Put back the saved text of a section and return it."""
        self.texts[self._known(section_id)] = self._saved[section_id]
        return self.texts[section_id]

    def _known(self, section_id: str) -> str:
        if section_id not in SECTIONS:
            raise KeyError(f"no commentary section '{section_id}'; sections: {', '.join(SECTIONS)}")
        return section_id


class AnalystWorkspace:
    """ipywidgets around a :class:`CommentaryEditor`: pick, read the numbers, write, preview, save.

    Attributes
    ----------
    client, period:
        Choose the client and period; changing the client opens it (refused while there are
        unsaved changes).
    editors:
        Section id -> ``Textarea`` holding that section's Markdown.
    previews, flag_boxes:
        Section id -> ``HTML`` with the live preview, and with its flagged statements.
    save_button, status:
        Writes the file; says what happened.
    """

    def __init__(self, project_dir: str | Path = "..", client_id: str | None = None,
                 period: str | None = None, data_dir: str | Path | None = None) -> None:
        import ipywidgets as widgets

        from nbreport.params import client_files

        self.project_dir = Path(project_dir).resolve()
        self.data_dir = data_dir
        self.editor: CommentaryEditor | None = None
        clients = list(client_files(self.project_dir / "params"))
        self.client = widgets.Dropdown(options=clients, value=client_id or (clients[0] if clients else None),
                                       description="Client")
        self.period = widgets.Text(value=period or "", placeholder="period in params, or e.g. 2026-09",
                                   description="Period")
        self.open_button = widgets.Button(description="Open", icon="folder-open")
        self.save_button = widgets.Button(description="Save", icon="save", button_style="primary")
        self.status = widgets.HTML()
        self.numbers = widgets.HTML()
        self.charts = widgets.HTML()
        self.placeholder_list = widgets.HTML()
        self.editors = {s: widgets.Textarea(layout=widgets.Layout(width="100%", height="16em"),
                                            continuous_update=True) for s in SECTIONS}
        self.previews = {s: widgets.HTML(layout=widgets.Layout(width="100%")) for s in SECTIONS}
        self.flag_boxes = {s: widgets.HTML() for s in SECTIONS}
        self.draft_buttons = {s: widgets.Button(description="Start from the draft", icon="magic")
                              for s in SECTIONS}
        self.widget = self._layout(widgets)
        self._wire()
        if self.client.value:
            self.open()

    def _layout(self, widgets: Any) -> Any:
        tabs = widgets.Tab(children=[
            widgets.HBox([
                widgets.VBox([self.editors[s], self.draft_buttons[s]], layout=widgets.Layout(width="50%")),
                widgets.VBox([self.previews[s], self.flag_boxes[s]], layout=widgets.Layout(width="50%")),
            ]) for s in SECTIONS])
        for index, info in enumerate(SECTIONS.values()):
            tabs.set_title(index, info.title)
        self.panels = widgets.Accordion(children=[self.numbers, self.charts, self.placeholder_list])
        for index, title in enumerate(PANELS):
            self.panels.set_title(index, title)
        self.panels.selected_index = 0
        return widgets.VBox([
            widgets.HBox([self.client, self.period, self.open_button, self.save_button]),
            self.status, self.panels, tabs])

    def _wire(self) -> None:
        self.client.observe(self._client_changed, names="value")
        self.panels.observe(lambda _: self._show_charts(), names="selected_index")
        self.open_button.on_click(lambda _: self.open())
        self.save_button.on_click(lambda _: self.save())
        for section_id, editor in self.editors.items():
            editor.observe(lambda change, s=section_id: self._edited(s, change["new"]), names="value")
            self.draft_buttons[section_id].on_click(lambda _, s=section_id: self.use_draft(s))

    # --- actions -------------------------------------------------------------------------------
    def open(self) -> bool:
        """Open the chosen client and period: numbers, charts, the saved commentary."""
        from nbreport.report import sections

        try:
            editor = CommentaryEditor(self.project_dir, self.client.value, self.period.value.strip() or None,
                                      data_dir=self.data_dir)
            self.numbers.value = sections.executive_summary(editor.report).html + \
                sections.scorecard(editor.report).html
        except NbreportError as exc:
            self._say(f"Cannot open {self.client.value}: {exc}", error=True)
            return False
        self.editor = editor
        self.charts.value = ""
        self._show_charts()
        self.period.value = editor.view.period.key
        self.placeholder_list.value = _placeholder_table(editor.placeholders())
        for section_id, text in editor.texts.items():
            self.editors[section_id].value = text
            self._show(section_id)
        self._say(f"Editing {editor.display} ({'saved file' if editor.path.exists() else 'new file'}).")
        return True

    def save(self) -> None:
        if self.editor is None:
            return
        try:
            path = self.editor.save()
        except NbreportError as exc:
            self._say(f"Not saved: {exc}", error=True)
            return
        flags = self.editor.flags()
        note = f" {len(flags)} statement(s) contradict the figures; see the red notes." if flags else ""
        self._say(f"Saved {display_path(path, self.project_dir)}. Re-run the report to see it.{note}",
                  error=bool(flags))

    def use_draft(self, section_id: str) -> None:
        """Put the section's draft in its editor, to edit and keep."""
        if self.editor is not None:
            self.editors[section_id].value = self.editor.draft(section_id)

    # --- callbacks ----------------------------------------------------------------------------
    def _client_changed(self, change: dict[str, Any]) -> None:
        if self.editor is not None and self.editor.dirty and change["new"] != self.editor.client_id:
            self.client.value = change["old"]
            self._say("Save your changes before switching client.", error=True)
            return
        if self.editor is None or change["new"] != self.editor.client_id:
            self.period.value = ""
            if not self.open() and self.editor is not None:
                self.client.value = self.editor.client_id  # keep showing what is being edited

    def _show_charts(self) -> None:
        """Draw the charts when their panel is open (drawing takes a few seconds)."""
        from nbreport.report import sections

        wanted = self.panels.selected_index == PANELS.index("Charts")
        if self.editor is not None and wanted and not self.charts.value:
            self.charts.value = sections.trends(self.editor.report).html

    def _edited(self, section_id: str, text: str) -> None:
        if self.editor is not None and self.editor.texts[section_id] != text:
            self.editor.set_text(section_id, text)
            self._show(section_id)

    def _show(self, section_id: str) -> None:
        assert self.editor is not None
        rendered = self.editor.preview(section_id)
        text = self.editor.texts[section_id]
        draft = not text.strip() or approves_draft(text)
        label = ("<p><b>Approved draft</b> ({{ draft }}): the report shows this as it is.</p>"
                 if text.strip() else
                 "<p><b>Draft</b> (nothing written yet): the report shows this, marked, and cannot "
                 "be sent until you write it or approve it by writing {{ draft }}.</p>") if draft else ""
        self.previews[section_id].value = label + rendered.html
        items = [f"<li>line {f.line}: {escape(f.message)}</li>" for f in rendered.flags]
        items += [f"<li>{escape(str(p))}</li>" for p in rendered.problems]
        self.flag_boxes[section_id].value = (
            f"<div style='color:#8e1b1b'><b>Check</b><ul>{''.join(items)}</ul></div>" if items else
            "<div style='color:#1a7f37'>No statement contradicts the figures.</div>" if not draft else "")

    def _say(self, message: str, *, error: bool = False) -> None:
        colour = "#8e1b1b" if error else "#1d2733"
        self.status.value = f"<p style='color:{colour}'>{escape(message)}</p>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _placeholder_table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td><code>{{{{ {escape(name)} }}}}</code></td><td>{escape(value)}</td></tr>"
                   for name, value in rows)
    return ("<p>Write a placeholder in the text to show the number; "
            "add <code>|abs</code> to drop its sign.</p>"
            f"<table><thead><tr><th>Placeholder</th><th>Now</th></tr></thead><tbody>{body}</tbody></table>")
