"""Export an executed notebook to the client's HTML report with nbconvert.

The client view is decided here, once, instead of being left to template
flags that change between nbconvert versions: the preprocessor drops every
input, the parameters cells, streams (library log output), errors, widget
views and plain-text reprs, keeps only HTML and images, renders Markdown
itself (sanitised, with stable heading ids), collects the table of contents
and marks where each section (a level-2 heading) starts; the sections are put in the
order the report's plan says first (:mod:`nbreport.render.arrange`). The template
(``templates/nbreport/``) then lays out what is left.

In another language than English each client-visible Markdown cell is translated block by
block (:func:`nbreport.i18n.notebook_text.translate_markdown`) after the sections are
arranged (which reads the English headings); heading ids stay those of the English headings,
so links and the sections' anchors are the same in every language.
"""

from __future__ import annotations

import functools
import html as html_module
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor

from nbreport.i18n import SOURCE_LANGUAGE, current_language, language
from nbreport.i18n.jinja import install_translations
from nbreport.i18n.notebook_text import heading_source, translate_markdown
from nbreport.protocol import SUMMARY_MIME
from nbreport.render.arrange import arrange_sections
from nbreport.render.sanitize import sanitize_markdown_html

HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell",
                         "papermill-error-cell-tag"})
CLIENT_MIMETYPES = ("text/html", "image/svg+xml", "image/png", "image/jpeg")
TEMPLATE_NAME = "nbreport"
# A Markdown cell tagged so opens the appendix ("How this report was made"): a <details
# id="appendix"> the client opens, closed on screen, printed in full.
APPENDIX_TAG = "appendix"
_HEADING = re.compile(r"<h([1-4])>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_H2_WITH_ID = re.compile(r"<h2 id=\"[^\"]*\">.*?</h2>", re.S)


class ClientViewPreprocessor(Preprocessor):
    """Reduce a notebook to what a client may see and collect the table of contents."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        kept, toc, used_ids, in_appendix = [], [], set(), False
        resources.setdefault("nbreport", {})["data_pack"] = _data_pack_link(nb.cells)
        for cell in arrange_sections(nb.cells):
            tags = cell.metadata.get("tags", [])
            if HIDDEN_TAGS.intersection(tags) or cell.cell_type == "raw":
                continue
            if cell.cell_type == "markdown":
                html, headings = _markdown_with_ids(*_translated(cell.source), used_ids)
                cell.metadata = {"nbreport_html": html}
                if headings:  # a level-2 heading opens a section, closing the one before
                    cell.metadata.update(nbreport_section=headings[0]["id"],
                                         nbreport_close_section=bool(toc),
                                         nbreport_close_appendix=in_appendix)
                    in_appendix = APPENDIX_TAG in tags
                    if in_appendix:  # its heading becomes the <summary> that opens it
                        cell.metadata.update(_appendix_parts(html))
                toc.extend(headings)
            elif cell.cell_type == "code":
                cell.outputs = [out for out in map(_client_output, cell.outputs) if out is not None]
                if not cell.outputs:
                    continue
                cell.source = ""  # code never reaches the template, whatever it does
                cell.metadata = {}
            kept.append(cell)
        nb.cells = kept
        nb.metadata = nbformat.NotebookNode({"language_info": {"name": "python"}})
        resources.setdefault("nbreport", {})["toc"] = toc
        resources["nbreport"]["has_sections"] = bool(toc)
        resources["nbreport"]["appendix_open"] = in_appendix
        return nb, resources


def _data_pack_link(cells: list[Any]) -> dict[str, str] | None:
    """The footer's link to the client's data pack, as the run summary gives it (files
    beside the report, words in its language); ``None`` when the report wrote no pack."""
    for cell in reversed(cells):
        for output in cell.get("outputs", []):
            summary = output.get("data", {}).get(SUMMARY_MIME)
            if summary is not None:
                link = summary.get("data_pack")
                return dict(link) if isinstance(link, dict) else None
    return None


def _appendix_parts(html: str) -> dict[str, str]:
    """The appendix's opening cell as the ``<summary>`` (its level-2 heading) and the rest."""
    match = _H2_WITH_ID.search(html)
    if match is None:
        return {}
    return {"nbreport_summary_html": match.group(0),
            "nbreport_html": html[:match.start()] + html[match.end():]}


def _translated(source: str) -> tuple[str, dict[str, str]]:
    """A Markdown cell in the language in use, and its headings' English text by the
    translated text (English itself is left exactly as written)."""
    if current_language() == SOURCE_LANGUAGE:
        return source, {}
    return translate_markdown(source), heading_source(source)


def _client_output(output: Any) -> Any | None:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return None  # streams are library log noise; errors never reach a client
    data = {mime: value for mime, value in output.get("data", {}).items() if mime in CLIENT_MIMETYPES}
    if not data:
        return None
    # built directly: nbformat's new_output validates each output against the schema, which
    # the exporter does once for the whole notebook anyway
    return nbformat.NotebookNode(output_type="display_data", data=nbformat.NotebookNode(data),
                                 metadata=nbformat.NotebookNode(output.get("metadata", {})))


def _markdown_with_ids(source: str, english: dict[str, str],
                       used_ids: set[str]) -> tuple[str, list[dict[str, Any]]]:
    """The cell's sanitised HTML with an id on each heading (from its English text, in
    ``english`` when translated) and its level-2 headings for the contents."""
    # Not mistune's toc plugin (mistune.toc.add_toc_hook), though this Markdown goes through
    # mistune: the plugin sets ids while rendering, before nh3, which drops every id (only the
    # template may name elements), and takes each entry's text from the unsanitised HTML
    # ('&quot;' where the page shows '"'), so entries and anchors would differ from the
    # headings. Ids and entries are therefore read from the sanitised HTML.
    html = sanitize_markdown_html(_markdown()(source))
    headings: list[dict[str, Any]] = []

    def add_id(match: re.Match[str]) -> str:
        level, inner = int(match[1]), match[2]
        text = _TAGS.sub("", inner).strip()
        anchor = _unique_id(english.get(html_module.unescape(text), text), used_ids)
        if level == 2:
            headings.append({"id": anchor, "text": text})
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(add_id, html), headings


def _unique_id(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


@functools.cache
def _markdown() -> Any:
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


@functools.cache
def _exporter(template_dir: str) -> Any:
    """One configured exporter per template folder: building it compiles the template.

    nbconvert's public ``HTMLExporter``, on the fast path and the plain one alike: its last
    step parses the page with BeautifulSoup and writes it out again (about a tenth of a
    second), and skipping it would make the fast report's bytes differ from the plain one's.
    """
    from nbconvert import HTMLExporter as exporter_class

    exporter = exporter_class(
        template_name=TEMPLATE_NAME, extra_template_basedirs=[template_dir], exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True,
        # check the notebook's structure once, after the preprocessors, not after each of them
        optimistic_validation=True)
    exporter.display_data_priority = list(CLIENT_MIMETYPES)
    exporter.register_preprocessor(ClientViewPreprocessor(), enabled=True)
    install_translations(exporter.environment)
    return exporter


def export_html(notebook: Any, meta: dict[str, Any], template_dir: Path) -> str:
    """The client HTML for an executed notebook; ``meta`` comes from :func:`report_meta`."""
    copy = nbformat.from_dict(notebook)  # the executed notebook on disk keeps its outputs
    with language(meta.get("language", SOURCE_LANGUAGE)):  # the template's and headings' words
        body, _resources = _exporter(str(template_dir)).from_notebook_node(
            copy, resources={"nbreport": dict(meta)})
    return body
