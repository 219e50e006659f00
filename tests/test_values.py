import math

import pandas as pd
import pytest

from audit.errors import DataError
from audit.ingest import values as V


def nums(cells, **kw):
    return V.to_number(pd.Series(cells, dtype="str"), **kw).tolist()


def test_thousands_separators_and_placeholders():
    out = nums(["1,042", "12", " --", "-", "N/A", "", "undefined"])
    assert out[:2] == [1042.0, 12.0]
    assert all(math.isnan(x) for x in out[2:])


def test_decimal_comma_guessed_per_column():
    assert nums(["12,5", "3,40", "1.234,56"]) == [12.5, 3.4, 1234.56]
    assert nums(["1 234,56", "0,5"]) == [1234.56, 0.5]


def test_percent_suffix_currency():
    assert nums(["3.7%", "0%"]) == pytest.approx([0.037, 0.0])
    assert nums(["1.2K", "3M", "15"]) == [1200.0, 3_000_000.0, 15.0]
    assert nums(["€3.40", "US$ 12.00", "£0.00"]) == [3.4, 12.0, 0.0]
    assert nums(["(5.00)"]) == [-5.0]


def test_floats_written_as_text_and_explicit_decimal():
    assert nums(["89.0", "0.0351"]) == [89.0, 0.0351]
    assert nums(["1.234"], decimal=",") == [1234.0]


def test_strict_names_row_and_column():
    s = pd.Series(["1", "abc"], index=[2, 3], dtype="str")
    with pytest.raises(DataError) as e:
        V.to_number(s, strict=True, column="Reach", file="f.csv")
    assert (e.value.row, e.value.column, e.value.file) == (3, "Reach", "f.csv")


def test_excel_mangled_and_scientific_ids():
    assert V.looks_excel_mangled(pd.Series(["3.апр", "12-May", "3.4"])).tolist() == [True, True, False]
    assert V.scientific_ids(pd.Series(["1.22158E+17", "1221580000000000000"])).tolist() == [True, False]
    assert V.clean_id(pd.Series(["'123", "456.0", " 789 "])).tolist() == ["123", "456", "789"]


def test_dates_known_formats_and_ambiguity():
    s, rep = V.to_datetime(pd.Series(["02/16/2025 05:14", "03/01/2025 10:00"]), formats=("%m/%d/%Y %H:%M",))
    assert s.iloc[0] == pd.Timestamp("2025-02-16 05:14") and not rep.ambiguous
    s, rep = V.to_datetime(pd.Series(["03/04/2025", "05/06/2025"]))
    assert rep.ambiguous and s.iloc[0] == pd.Timestamp("2025-03-04")
    s, rep = V.to_datetime(pd.Series(["13/04/2025", "05/06/2025"]))
    assert rep.day_first and s.iloc[1] == pd.Timestamp("2025-06-05")
    s, _ = V.to_datetime(pd.Series(["2021-08-31 19:53 +0000"]))
    assert str(s.dt.tz) == "UTC" and s.iloc[0].hour == 19


def test_dates_zoo_and_bad_value():
    s, _ = V.to_datetime(pd.Series(["Mon Feb 17 2025", "Tue, Aug 26, 2025", "Jun 7, 2020"]))
    assert [d.date().isoformat() for d in s] == ["2025-02-17", "2025-08-26", "2020-06-07"]
    with pytest.raises(DataError) as e:
        V.to_datetime(pd.Series(["2025-01-01", "soon"], index=[5, 6]), column="Date")
    assert e.value.row == 6 and e.value.column == "Date"


def test_durations_headers_booleans():
    assert V.duration_seconds(pd.Series(["0:03:21", "12:05", "45"])).tolist() == [201.0, 725.0, 45.0]
    assert V.norm_header("  Phone number clicks ") == "phone number clicks"
    assert V.norm_header("13–17 years") == "13-17 years"
    assert V.to_bool(pd.Series(["yes", "Non", "1", "?"])).tolist() == [True, False, True, pd.NA]


@pytest.mark.parametrize("cell", ["0002-02-14", "9999-01-01", "0005-03-01", "1900-01-01"])
def test_dates_out_of_any_export_range_are_data_errors(cell):
    with pytest.raises(DataError) as e:
        V.to_datetime(pd.Series(["2025-01-01", cell], index=[2, 3]), column="Date")
    assert e.value.row == 3
    s, rep = V.to_datetime(pd.Series(["2025-01-01", cell]), strict=False)
    assert rep.bad == 1 and s.isna().tolist() == [False, True]
