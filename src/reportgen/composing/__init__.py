"""Stage 2, the model to what a template shows: the view of a year an edition may
see, key figures, charts, words and formats, the page context.
"""
