"""What the frozen executable runs: the same entry point as the `b24desk` console script."""

from b24desk.cli import main

raise SystemExit(main())
