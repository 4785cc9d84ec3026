"""Rebuild the forums' search documents, e.g. after changing what is indexed or restoring a backup."""

from django.core.management.base import BaseCommand

from communities.search import refresh_vectors
from forums.models import Post, Thread
from forums.services import index_post, index_thread


class Command(BaseCommand):
    help = "Re-index every forum thread and reply for site search."

    def handle(self, *args, **options):
        threads = Thread.objects.select_related("community", "author").prefetch_related("tags")
        openings = {p.thread_id: p for p in Post.objects.filter(is_opening=True)}
        count = 0
        for thread in threads.iterator(chunk_size=500):
            opening = openings.get(thread.pk)
            if opening is not None:
                index_thread(thread, opening)
                count += 1
        replies = Post.objects.filter(is_opening=False, is_deleted=False).select_related("thread__community", "author")
        for post in replies.iterator(chunk_size=500):
            index_post(post)
            count += 1
        refresh_vectors()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents."))
