"""Stage 1, a year's folder to the typed model: the readers, the settings and
table declarations, the editions declared, validation, the model.
"""
