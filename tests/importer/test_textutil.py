"""Dates as Ofsted prints them, in words or in numbers."""
from __future__ import annotations

import datetime as dt

from generator.importer.sections import inspection_dates, published_date
from generator.importer.textutil import clean, parse_range


def test_numeric_dates_are_read_day_first() -> None:
    """Redbridge 2016 prints 'Inspection date: 12/09/2016 to 06/10/2016' and 'Report published: 25/11/2016'."""
    first = "Inspection date: 12/09/2016 to 06/10/2016\nReport published: 25/11/2016\n"
    assert inspection_dates(first, first) == (dt.date(2016, 9, 12), dt.date(2016, 10, 6))
    assert published_date(first, letter=False) == (dt.date(2016, 11, 25), None)
    assert parse_range("from 1/2/2015 to 13/2/2015") == (dt.date(2015, 2, 1), dt.date(2015, 2, 13))


def test_numbers_that_are_no_dates_are_left_alone() -> None:
    """A fraction or a month 13 is not turned into a date."""
    assert clean("3/13/2016 and 1/2") == "3/13/2016 and 1/2"
