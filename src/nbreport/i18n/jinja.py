"""Translation in Jinja templates: ``{{ _("Next steps") }}`` and ``{{ ngettext(...) }}``.

The callables read the language in use when the template renders, so one compiled template
serves every language. Babel extracts the messages from the templates (``babel.cfg``).
"""

from __future__ import annotations

from jinja2 import Environment

from nbreport.i18n import _, ngettext


def install_translations(environment: Environment) -> Environment:
    """Make ``_`` and ``ngettext`` available to every template of ``environment``."""
    environment.globals.update(_=_, ngettext=ngettext)
    return environment
