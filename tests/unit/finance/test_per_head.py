"""Money per head of population (finance.rules.per_head_pence): to the nearest penny, never with a guessed
population."""

from finance.rules import per_head_pence


def test_per_head_rounds_to_the_nearest_penny_halves_up():
    assert per_head_pence(1_083_337, 107_230) == 10  # 10.10p
    assert per_head_pence(150, 100) == 2  # 1.5p: halves go up
    assert per_head_pence(149, 100) == 1
    assert per_head_pence(0, 50_000) == 0
    assert per_head_pence(12_345_67, 1) == 12_345_67


def test_without_a_known_population_there_is_no_per_head_figure():
    assert per_head_pence(1_000_00, None) is None
    assert per_head_pence(1_000_00, 0) is None
    assert per_head_pence(1_000_00, -5) is None
