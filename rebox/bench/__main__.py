import sys

from rebox.bench.runner import main

sys.exit(main(sys.argv[1:]))
