"""Shared service kit of Teilhabe (DESIGN.md §4–§6, §11): what every service uses the same way."""
