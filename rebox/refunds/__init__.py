"""Resolutions: how much goes back, to which payment, exactly once (issue 5)."""
