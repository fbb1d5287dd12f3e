"""``python -m nbreport`` is the ``nbreport`` command."""

from nbreport.cli import main

main()
