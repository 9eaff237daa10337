"""Photos made in the test with Pillow: JPEG/PNG/HEIC with the EXIF a phone writes, or broken on purpose."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

EXIF_IFD, GPS_IFD, DATETIME_ORIGINAL = 0x8769, 0x8825, 0x9003


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return float(degrees), float(minutes), round((minutes_full - minutes) * 60, 4)


def exif(taken: dt.datetime | None = None, point: tuple[float, float] | None = None) -> Image.Exif:
    """EXIF with DateTimeOriginal (local wall-clock time, as cameras write) and a GPS point (lat, lng)."""
    data = Image.Exif()
    if taken is not None:
        data.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if point is not None:
        lat, lng = point
        gps = data.get_ifd(GPS_IFD)
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(abs(lat))
        gps[3] = "E" if lng >= 0 else "W"
        gps[4] = _dms(abs(lng))
    return data


def jpeg(
    taken: dt.datetime | None = dt.datetime(2019, 7, 15, 10, 30),
    point: tuple[float, float] | None = None,
    *,
    size: tuple[int, int] = (64, 48),
    fmt: str = "JPEG",
) -> bytes:
    """A small picture with the given EXIF (July 2019 by default, no GPS)."""
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(out, fmt, exif=exif(taken, point))
    return out.getvalue()


def heic(taken: dt.datetime | None = dt.datetime(2019, 7, 15, 10, 30)) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return jpeg(taken, fmt="HEIF")


def corrupt_exif() -> bytes:
    """A JPEG whose EXIF block claims a TIFF structure that is not there."""
    data = jpeg(None)
    segment = b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\xff" * 20
    return data[:2] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + data[2:]
