"""Translation in Jinja templates: ``{{ _("Next steps") }}`` and ``{{ ngettext(...) }}``.

The callables read the language in use when the template renders, so one compiled template
serves every language. Babel extracts the messages from the templates (``babel.cfg``).

Under autoescaping a message is the template's own text (trusted, like the text around it:
its quotes and entities are written as they are) and only the values filled into it are
escaped, as ``{{ value }}`` would be; a macro's output (already markup) is filled in as it is.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from nbreport.i18n import current_language, first_upper, in_sentence
from nbreport.i18n.catalogues import translations


def _fill(eval_ctx: EvalContext, text: str, values: dict[str, Any]) -> str:
    if not eval_ctx.autoescape:
        return text % values if values else text
    return Markup(text) % values if values else Markup(text)


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, message: str, **values: Any) -> str:
    """``_`` in a template: ``message`` in the language in use, ``values`` filled in."""
    return _fill(eval_ctx, translations(current_language()).gettext(message), values)


@pass_eval_context
def template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, n: int,
                      **values: Any) -> str:
    """``ngettext`` in a template: the form ``n`` takes, ``%(n)s`` and ``values`` filled in."""
    text = translations(current_language()).ngettext(singular, plural, n)
    return _fill(eval_ctx, text, {"n": n, **values})


def install_translations(environment: Environment) -> Environment:
    """Make ``_`` and ``ngettext`` available to every template of ``environment``."""
    environment.globals.update(_=template_gettext, ngettext=template_ngettext)
    # case changes that respect the language: ``capitalize``/``lower`` would break German nouns
    environment.filters.update(first_upper=first_upper, in_sentence=in_sentence)
    return environment
