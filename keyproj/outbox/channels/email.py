"""E-mail through Django's configured backend (SMTP in production): the title with the site's name as
the subject, the text and the link as the body."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext

from keyproj.outbox.channels import SITE_NAME, Message, SendError


def subject(message: Message) -> str:
    # One line: a header cannot carry a line break.
    return " ".join(f"[{SITE_NAME}] {message.title}".split())


def text(message: Message) -> str:
    parts = [message.body.strip()] if message.body.strip() else []
    if message.link:
        parts.append(gettext("查看：%(link)s") % {"link": message.link})
    return "\n\n".join(parts) + "\n"


def send(address: str, message: Message) -> None:
    if not address:
        raise SendError(gettext("接收人没有邮箱地址"))
    email = EmailMessage(
        subject(message),
        text(message),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        connection=get_connection(fail_silently=False),
    )
    try:
        email.send()
    except smtplib.SMTPResponseException as error:
        detail = (
            error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        )
        raise SendError(
            gettext("邮件服务器拒收：%(code)s %(detail)s") % {"code": error.smtp_code, "detail": detail}
        ) from None
    except smtplib.SMTPRecipientsRefused as error:
        refusals = "；".join(
            f"{who} {code} {reason.decode('utf-8', 'replace') if isinstance(reason, bytes) else reason}"
            for who, (code, reason) in error.recipients.items()
        )
        raise SendError(gettext("邮件服务器拒收：%(detail)s") % {"detail": refusals}) from None
    except TimeoutError:
        raise SendError(gettext("邮件服务器应答超时")) from None
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(gettext("无法发送邮件：%(reason)s") % {"reason": error}) from None
