"""Stage 4, documents to disk: staging, the build cache and its format, the
manifest, the send log.
"""
