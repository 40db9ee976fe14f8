"""Command-line interface: parsing and wiring only."""
