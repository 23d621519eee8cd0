"""`python -m speechgate` runs the CLI."""

from speechgate.cli import main_entry

main_entry()
