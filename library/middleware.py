"""Every multipart request gets the library's size cap before anything reads its body (see upload_handlers).

It sits high in MIDDLEWARE, before CsrfViewMiddleware reads request.POST, so the cap holds for the library's own
forms and for the files members attach to forum posts and hot-seat answers alike.
"""

from django.conf import settings

from .upload_handlers import SizeCapUploadHandler


class UploadSizeCapMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.library_refused_uploads = []
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.upload_handlers.insert(0, SizeCapUploadHandler(request, limit=settings.LIBRARY_MAX_UPLOAD_BYTES))
        return self.get_response(request)
