import sys

from tawasul.cli import main

sys.exit(main())
