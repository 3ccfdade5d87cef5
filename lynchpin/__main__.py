import sys

from lynchpin.cli import main

sys.exit(main())
