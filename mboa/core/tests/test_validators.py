import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mboa.core.validators import past_date, plausible_date


@pytest.mark.parametrize("day", [dt.date(272, 5, 1), dt.date(1899, 12, 31), dt.date(2100, 1, 1)])
def test_implausible_dates_are_refused(day):
    with pytest.raises(ValidationError):
        plausible_date(day)


def test_plausible_dates_pass_and_a_past_date_cannot_be_in_the_future():
    plausible_date(dt.date(1945, 4, 3))
    plausible_date(dt.date.today() + dt.timedelta(days=300))
    with pytest.raises(ValidationError, match="future"):
        past_date(dt.date.today() + dt.timedelta(days=1))
