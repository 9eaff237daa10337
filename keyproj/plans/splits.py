"""Proposals for splitting an annual plan into twelve months, for the user to adjust.

Two shapes: even, and the programme's usual back-loaded curve (little in the first
quarter, when the Spring Festival stops most sites, and the most in the last, when the
year's targets are pressed home). Amounts are exact to the cent and add up to the annual
figure: whatever rounding leaves over goes, a cent at a time, to the months whose share
was cut most (largest remainder).
"""

from __future__ import annotations

from decimal import Decimal

from keyproj.core.money import CENT

# Relative weights of the twelve months, January first (they need not add up to anything).
PROFILES: dict[str, tuple[int, ...]] = {
    "even": (1,) * 12,
    "back_loaded": (4, 5, 7, 8, 8, 9, 9, 9, 9, 10, 10, 12),
}


def propose_split(annual: Decimal, profile: str = "even") -> list[Decimal]:
    """Twelve monthly amounts in the shape of `profile` that add up exactly to `annual` (万元)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
    if annual < 0:
        raise ValueError("an annual plan is not negative")
    weights = PROFILES[profile]
    cents = int((annual / CENT).to_integral_value())
    total_weight = sum(weights)
    exact = [Decimal(cents) * w / total_weight for w in weights]
    floors = [int(x) for x in exact]
    left = cents - sum(floors)
    # The months that lost the most to rounding down get the cents that are left.
    for month in sorted(range(12), key=lambda m: (exact[m] - floors[m], m), reverse=True)[:left]:
        floors[month] += 1
    return [Decimal(c) * CENT for c in floors]
