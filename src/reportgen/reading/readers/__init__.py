"""One reader per kind of input file: tables (CSV, Excel), narrative (Markdown, Word)."""
