from decimal import Decimal

import pytest

from assessments.scoring import Instrument
from assessments.scoring.change import compare

IMPROVED = "improved (≥ MIC)"
WORSE = "worse (≥ MIC)"
NONE = "no important change"


@pytest.mark.parametrize(
    ("instrument", "previous", "current", "delta", "label"),
    [
        # NPRS: 2 points or 30 % of the previous score, whichever is reached.
        (Instrument.NPRS, "6", "4", "-2", IMPROVED),
        (Instrument.NPRS, "6", "5", "-1", NONE),  # 1 point, 17 %
        (Instrument.NPRS, "3", "2", "-1", IMPROVED),  # 1 point but 33 %
        (Instrument.NPRS, "4", "3", "-1", NONE),  # 25 %
        (Instrument.NPRS, "4", "6", "2", WORSE),
        (Instrument.NPRS, "3", "4", "1", WORSE),  # 33 % of 3
        (Instrument.NPRS, "0", "1", "1", NONE),  # no percentage of zero
        (Instrument.NPRS, "5", "5", "0", NONE),
        # ODI: 10 points.
        (Instrument.ODI, "40.0", "30.0", "-10.0", IMPROVED),
        (Instrument.ODI, "40.0", "30.1", "-9.9", NONE),
        (Instrument.ODI, "22.2", "32.2", "10.0", WORSE),
        # PSFS: 2 points, and higher is better.
        (Instrument.PSFS, "3.00", "5.00", "2.00", IMPROVED),
        (Instrument.PSFS, "5.00", "3.00", "-2.00", WORSE),
        (Instrument.PSFS, "3.67", "5.50", "1.83", NONE),
        # No MIC set: direction only.
        (Instrument.TSK17, "45", "40", "-5", "better (no MIC defined)"),
        (Instrument.PCS, "20", "31", "11", "worse (no MIC defined)"),
        (Instrument.OMPSQ_SF, "56", "56", "0", "unchanged"),
        (Instrument.START_BACK, "6", "2", "-4", "better (no MIC defined)"),
    ],
)
def test_change_against_the_mic(instrument, previous, current, delta, label):
    change = compare(instrument, Decimal(previous), Decimal(current))
    assert (change.delta, change.label) == (Decimal(delta), label)


def test_first_assessment_has_no_previous_score():
    change = compare("odi", None, Decimal(30))
    assert (change.delta, change.label) == (None, "no previous score")


def test_an_unscorable_questionnaire_has_no_current_score():
    change = compare("odi", Decimal(30), None)
    assert (change.delta, change.label) == (None, "no current score")


def test_an_unknown_instrument_is_refused():
    with pytest.raises(ValueError, match="'vas'"):
        compare("vas", Decimal(1), Decimal(2))
