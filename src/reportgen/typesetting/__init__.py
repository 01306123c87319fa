"""Stage 3, the page context to documents: templates, HTML pages, PDF, preflight,
letters, a donor's e-mail.
"""
