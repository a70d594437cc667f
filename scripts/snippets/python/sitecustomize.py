# Loaded by every Python snippet the toolchain runs (it is on PYTHONPATH). stdout shares one pipe
# with stderr; making it line-buffered, as it is on a terminal, keeps their order what a terminal
# shows.
import sys

sys.stdout.reconfigure(line_buffering=True)
