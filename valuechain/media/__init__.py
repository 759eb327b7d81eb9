"""What the figures become: numbers per language, tables, charts, the map, the PDF, the report, files out."""
