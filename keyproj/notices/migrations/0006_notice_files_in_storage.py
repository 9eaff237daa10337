"""A notice's docx and pdf move out of the database into the default storage (STORAGES["default"]).

Each stored blob is written to the storage as it is, byte for byte, and its recorded SHA-256 is kept;
a blob that no longer matches its recorded hash stops the migration rather than be stored as issued.
Going back reads every file from the storage into the database again (and checks it the same way).
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import keyproj.notices.models

FORMATS = ("docx", "pdf")


def _checked(notice, fmt: str, content: bytes) -> bytes:
    recorded = getattr(notice, f"{fmt}_sha256")
    if hashlib.sha256(content).hexdigest() != recorded:
        raise RuntimeError(
            f"通报{notice.number or notice.pk}的{fmt}文件与记录的SHA-256（{recorded}）不一致，迁移已停止，未作任何改动"
        )
    return content


def to_storage(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    written: list[str] = []
    try:
        for notice in Notice.objects.order_by("pk").iterator(chunk_size=50):
            for fmt in FORMATS:
                content = _checked(notice, fmt, bytes(getattr(notice, f"{fmt}_blob")))
                # As the model names them (notices.models.notice_file_path), written out here so that
                # this migration keeps doing what it did when that function changes.
                stem = keyproj.notices.models.safe_number(notice.number) or f"{notice.kind}-{notice.sequence}"
                name = f"notices/{notice.year}/{stem}-{getattr(notice, f'{fmt}_sha256')[:16]}.{fmt}"
                name = default_storage.save(name, ContentFile(content))
                written.append(name)
                setattr(notice, fmt, name)
            notice.save(update_fields=list(FORMATS))
    except BaseException:
        # The database rolls back; the files written so far must not stay behind as strays.
        for name in written:
            default_storage.delete(name)
        raise


def to_database(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    for notice in Notice.objects.order_by("pk").iterator(chunk_size=50):
        for fmt in FORMATS:
            name = getattr(notice, fmt).name
            with default_storage.open(name, "rb") as handle:
                setattr(notice, f"{fmt}_blob", _checked(notice, fmt, handle.read()))
        notice.save(update_fields=[f"{fmt}_blob" for fmt in FORMATS])


class Migration(migrations.Migration):
    dependencies = [("notices", "0005_numbering_rule_versions")]

    operations = [
        migrations.RenameField("notice", "docx", "docx_blob"),
        migrations.RenameField("notice", "pdf", "pdf_blob"),
        migrations.AddField(
            "notice",
            "docx",
            models.FileField(
                default="",
                max_length=200,
                upload_to=keyproj.notices.models.notice_file_path,
                verbose_name="Word文件",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            "notice",
            "pdf",
            models.FileField(
                default="",
                max_length=200,
                upload_to=keyproj.notices.models.notice_file_path,
                verbose_name="PDF文件",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(to_storage, to_database, elidable=False),
        # A default first, so that going back can add the columns to existing rows before filling them.
        migrations.AlterField("notice", "docx_blob", models.BinaryField(default=b"", verbose_name="Word文件")),
        migrations.AlterField("notice", "pdf_blob", models.BinaryField(default=b"", verbose_name="PDF文件")),
        migrations.RemoveField("notice", "docx_blob"),
        migrations.RemoveField("notice", "pdf_blob"),
    ]
