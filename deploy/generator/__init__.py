"""The deployment-file generator behind deploy/generate.py."""
