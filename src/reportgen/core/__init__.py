"""What every stage uses, importing nothing later: located problems, errors,
plain-text rules, the file gate, the process pool, the language packs.
"""
