"""Counseling centres: profiles, onboarding, functions, seats and the public finder."""
