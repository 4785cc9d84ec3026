import pytest

from forums import services
from forums.models import Category, Thread


@pytest.fixture
def category(community):
    return Category.objects.create(community=community, name="Questions", slug="questions")


@pytest.fixture
def question(category, member):
    return services.thread_create(
        category=category,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="How do you run a gateway review?",
        body="We have our first **gateway review** next month. Any tips?",
        tags=["assurance", "gateway reviews"],
    )
