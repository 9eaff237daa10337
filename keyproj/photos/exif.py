"""Reading a photo: what it is (by its bytes), its EXIF time and GPS point, and a thumbnail.

Pure functions over bytes, no database: the service decides what to do with what they find.
Pillow reads JPEG and PNG; HEIC (what iPhones take) through pillow-heif, registered here once.
Pillow's decompression-bomb guard is made an error, so a small file that unpacks to a huge
image is refused instead of filling the memory.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from keyproj.problems.attachments import sniff

try:  # HEIC support is a declared dependency; without it a HEIC file is refused as unreadable
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover
    pass

# EXIF tags (CIPA DC-008): the sub-directories and the fields read from them.
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LNG_REF, GPS_LNG = 1, 2, 3, 4

THUMBNAIL_PX = 320
# The brands of an ISO-BMFF file that are HEIF/HEIC images (not videos): ftyp box at offset 4.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG), good to about 0.5% for the haversine


class PhotoUnreadable(Exception):
    """The bytes are not a photo keyproj can read, or its EXIF block is broken; the message says which."""


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo's bytes say: its kind, size in pixels, EXIF time and WGS-84 point, and EXIF problems."""

    kind: str
    width: int
    height: int
    taken_at: dt.datetime | None
    lat: Decimal | None
    lng: Decimal | None
    exif_error: str


def kind_of(content: bytes) -> str | None:
    """'jpg', 'png' or 'heic' judged by the first bytes; None for anything else."""
    found = sniff(content[:16])
    if found in {"jpg", "png"}:
        return found
    if len(content) >= 12 and content[4:8] == b"ftyp" and content[8:12] in _HEIC_BRANDS:
        return "heic"
    return None


def _open(content: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Over Image.MAX_IMAGE_PIXELS is refused, not merely warned about.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoUnreadable("图片像素过多，无法处理") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise PhotoUnreadable("文件已损坏，无法作为图片读取") from exc
    return image


def read(content: bytes, *, tz: str | None = None) -> PhotoFacts:
    """Read a photo's bytes. PhotoUnreadable when it is no JPEG/PNG/HEIC or its EXIF block is broken.

    tz: the zone a camera's local time is read in when the photo does not state its offset
    (the office's, settings.TIME_ZONE): cameras write the wall-clock time of where they are.
    """
    kind = kind_of(content)
    if kind is None:
        raise PhotoUnreadable("不是照片（只接受JPEG、PNG、HEIC格式的图片）")
    image = _open(content)
    sub, exif, gps = _exif(image)
    errors: list[str] = []
    taken_at = _taken_at(sub, exif, ZoneInfo(tz or settings.TIME_ZONE), errors)
    lat, lng = _point(gps, errors)
    return PhotoFacts(kind, image.width, image.height, taken_at, lat, lng, "；".join(errors)[:200])


def _exif(image: Image.Image) -> tuple[Any, Any, Any]:
    """The main, Exif and GPS directories; PhotoUnreadable when the EXIF block is there but broken.

    Pillow skips what it cannot read with a warning and carries on; a photo whose EXIF is damaged
    is refused instead, so that a missing time or point is never the silent result of damage.
    """
    raw = image.info.get("exif")
    if isinstance(raw, bytes) and raw:
        tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw
        if tiff[:4] not in (b"II*\x00", b"MM\x00*"):
            raise PhotoUnreadable("照片的EXIF信息已损坏，无法读取")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            # Parsed afresh from the raw block: Pillow may have read it while opening, warnings unheard.
            if isinstance(raw, bytes) and raw:
                exif = Image.Exif()
                exif.load(raw)
            else:
                exif = image.getexif()
            sub = exif.get_ifd(EXIF_IFD) if EXIF_IFD in exif else {}
            gps = exif.get_ifd(GPS_IFD) if GPS_IFD in exif else {}
        except Exception as exc:  # Pillow raises (and warns) many kinds on a mangled TIFF structure
            raise PhotoUnreadable("照片的EXIF信息已损坏，无法读取") from exc
    return sub, exif, gps


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip().strip("\x00").strip()


def _taken_at(sub: Any, exif: Any, zone: ZoneInfo, errors: list[str]) -> dt.datetime | None:
    """DateTimeOriginal (when the shutter fired), aware; None when absent or unreadable (said in errors)."""
    raw = _text(sub.get(DATETIME_ORIGINAL))
    if not raw:
        return None
    try:
        naive = dt.datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        # "0000:00:00 00:00:00" is what a camera without a set clock writes.
        errors.append(f"拍摄时间“{raw[:19]}”无法识别")
        return None
    offset = _text(sub.get(OFFSET_TIME_ORIGINAL))
    if offset:
        try:
            return dt.datetime.strptime(f"{naive:%Y-%m-%d %H:%M:%S}{offset}", "%Y-%m-%d %H:%M:%S%z")
        except ValueError:
            pass  # an unreadable offset: the office's zone, as for a camera that writes none
    return naive.replace(tzinfo=zone)


def _degrees(value: Any) -> float:
    """Degrees from EXIF's (degrees, minutes, seconds) rationals."""
    d, m, s = (float(part) for part in value)
    return d + m / 60 + s / 3600


def _point(gps: Any, errors: list[str]) -> tuple[Decimal | None, Decimal | None]:
    """The WGS-84 point of the GPS IFD (GPS receivers give WGS-84), to 6 places; (None, None) when absent."""
    if not gps or GPS_LAT not in gps or GPS_LNG not in gps:
        return None, None
    try:
        lat = _degrees(gps[GPS_LAT])
        lng = _degrees(gps[GPS_LNG])
    except (TypeError, ValueError, ZeroDivisionError):
        errors.append("GPS位置无法识别")
        return None, None
    if _text(gps.get(GPS_LAT_REF)).upper() == "S":
        lat = -lat
    if _text(gps.get(GPS_LNG_REF)).upper() == "W":
        lng = -lng
    if not (math.isfinite(lat) and math.isfinite(lng)) or abs(lat) > 90 or abs(lng) > 180:
        errors.append("GPS位置超出范围")
        return None, None
    six = Decimal("0.000001")
    return Decimal(repr(lat)).quantize(six, ROUND_HALF_UP), Decimal(repr(lng)).quantize(six, ROUND_HALF_UP)


def thumbnail(content: bytes, size: int = THUMBNAIL_PX) -> bytes:
    """A JPEG at most `size` pixels on its longer side, turned upright, with no EXIF (no time, no GPS)."""
    image = ImageOps.exif_transpose(_open(content))
    image.thumbnail((size, size))
    if image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)  # no exif= argument: nothing of the original's is carried
    return out.getvalue()


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in metres between two WGS-84 points (haversine on the mean sphere)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
