"""``python -m bot`` runs the Bestaanswijzer command line."""

from bot.cli import main

raise SystemExit(main())
