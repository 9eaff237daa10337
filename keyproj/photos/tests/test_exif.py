"""Reading photos: the kind by the bytes, EXIF time and GPS, broken EXIF, thumbnails, the distance."""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from keyproj.photos import exif
from keyproj.photos.tests.images import corrupt_exif, heic, jpeg

SHANGHAI = "Asia/Shanghai"


def test_it_reads_the_time_a_photo_was_taken_in_the_offices_zone():
    facts = exif.read(jpeg(dt.datetime(2019, 6, 15, 10, 30)), tz=SHANGHAI)
    assert facts.kind == "jpg"
    assert facts.taken_at == dt.datetime(2019, 6, 15, 10, 30, tzinfo=ZoneInfo(SHANGHAI))
    assert (facts.lat, facts.lng) == (None, None)
    assert facts.exif_error == ""


def test_it_reads_the_gps_point_as_wgs84_degrees():
    facts = exif.read(jpeg(point=(24.479834, 118.089425)), tz=SHANGHAI)
    assert facts.lat == Decimal("24.479834")
    assert facts.lng == Decimal("118.089425")


def test_a_southern_and_western_point_is_negative():
    facts = exif.read(jpeg(point=(-33.8568, -70.6483)), tz=SHANGHAI)
    assert (facts.lat, facts.lng) == (Decimal("-33.856800"), Decimal("-70.648300"))


def test_a_photo_without_exif_has_no_time_and_no_point():
    out = io.BytesIO()
    Image.new("RGB", (20, 10)).save(out, "PNG")
    facts = exif.read(out.getvalue(), tz=SHANGHAI)
    assert (facts.kind, facts.taken_at, facts.lat) == ("png", None, None)


def test_a_cameras_unset_clock_is_no_time_and_is_said():
    data = io.BytesIO()
    broken = exif.Image.Exif()
    broken.get_ifd(exif.EXIF_IFD)[exif.DATETIME_ORIGINAL] = "0000:00:00 00:00:00"
    Image.new("RGB", (20, 10)).save(data, "JPEG", exif=broken)
    facts = exif.read(data.getvalue(), tz=SHANGHAI)
    assert facts.taken_at is None
    assert "无法识别" in facts.exif_error


def test_heic_is_read_by_its_bytes():
    facts = exif.read(heic(dt.datetime(2019, 7, 2, 9, 0)), tz=SHANGHAI)
    assert facts.kind == "heic"
    assert facts.taken_at == dt.datetime(2019, 7, 2, 9, 0, tzinfo=ZoneInfo(SHANGHAI))


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 not a photo", b"GIF89a......", b"hello", b"\xff\xd8\xff" + b"\x00" * 40],
    ids=["pdf", "gif", "text", "truncated-jpeg"],
)
def test_what_is_not_a_readable_photo_is_refused(content):
    with pytest.raises(exif.PhotoUnreadable):
        exif.read(content, tz=SHANGHAI)


def test_broken_exif_is_refused_not_silently_skipped():
    with pytest.raises(exif.PhotoUnreadable, match="EXIF"):
        exif.read(corrupt_exif(), tz=SHANGHAI)


def test_an_image_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(exif.PhotoUnreadable, match="像素"):
        exif.read(jpeg(size=(64, 48)), tz=SHANGHAI)  # 3,072 px: over the limit's warning threshold


def test_the_thumbnail_is_small_and_carries_no_exif():
    thumb = exif.thumbnail(jpeg(dt.datetime(2019, 6, 1), point=(24.48, 118.09), size=(1200, 900)))
    image = Image.open(io.BytesIO(thumb))
    assert image.format == "JPEG"
    assert max(image.size) == exif.THUMBNAIL_PX
    assert not image.getexif()
    assert exif.read(thumb, tz=SHANGHAI).taken_at is None


def _north(lat: float, metres: float) -> float:
    return lat + math.degrees(metres / exif.EARTH_RADIUS_M)


def test_the_distance_is_the_great_circle_one():
    assert exif.distance_m(24.48, 118.09, 24.48, 118.09) == 0
    assert exif.distance_m(24.48, 118.09, _north(24.48, 2000), 118.09) == pytest.approx(2000, abs=0.01)
    # Xiamen (Siming) to Fuzhou is about 205 km.
    assert exif.distance_m(24.4798, 118.0894, 26.0745, 119.2965) == pytest.approx(210_000, rel=0.05)
