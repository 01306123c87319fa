"""The commands (build, check, new, serve, send): each runs the stages before it."""
