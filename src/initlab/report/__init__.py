"""Reports: the "why" prose, number formatting, report documents and atomic output files."""
