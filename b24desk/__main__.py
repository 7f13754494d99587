from b24desk.cli import main

raise SystemExit(main())
