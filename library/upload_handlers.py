"""A size cap enforced while the upload streams in, before a too-large file is written anywhere.

Installed first in `request.upload_handlers` by library.middleware; a file that passes the cap is handed on to
Django's usual handlers (memory for small files, a temporary file on disk for the rest), so no upload is held in
memory whole. A refused file's name is noted in `request.library_refused_uploads` for the form to explain.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# The other fields of an upload form (title, summary, tags...) are small; a body bigger than the cap plus this can
# only be a too-large file, refused at the first chunk.
FORM_ALLOWANCE = 256 * 1024


class SizeCapUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.body_too_large = False
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_too_large = content_length > self.limit + FORM_ALLOWANCE
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.body_too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the UploadedFile

    def _refuse(self):
        # SkipFile drops this file (and what was written of it); the rest of the form is still parsed.
        self.request.library_refused_uploads.append(self.file_name)
        raise SkipFile
