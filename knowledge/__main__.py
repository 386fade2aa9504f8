"""``python -m knowledge`` runs the kb command."""

from knowledge.cli import main

raise SystemExit(main())
