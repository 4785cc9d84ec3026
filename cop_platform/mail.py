"""Development mail: each message becomes one `.eml` file that any mail client opens (double-click it).

Django's own file backend appends several messages to one `.log` file with separators, which mail clients cannot
read; this writes one complete RFC 5322 message per file instead.
"""

from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{uuid4().hex[:8]}.eml"
            partial = self.file_path / f".{name}.tmp"
            partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
            # Renamed once complete, so a reader (or a test) never sees half a message.
            partial.rename(self.file_path / name)
        return len(email_messages)
