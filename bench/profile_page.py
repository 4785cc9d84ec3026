"""Profile one page through the whole Django stack with cProfile: where a request's time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cop_bench .venv/bin/python bench/profile_page.py \\
        /c/bench-ppm/forums/ [--member] [--requests 50] [--top 25]

Run it against `make bench`'s data set (or any database); `--member` signs in as the bench member. Prints the
functions with the most cumulative and own time over the requests, after two untimed warm-up requests.
"""

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import BENCH_MEMBER_EMAIL, configure_environment, start_django  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--member", action="store_true", help=f"signed in as {BENCH_MEMBER_EMAIL}")
    parser.add_argument("--email", help="signed in as this user instead")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    configure_environment()
    start_django()
    from django.test import Client

    from accounts.models import User

    client = Client()
    if args.member or args.email:
        client.force_login(User.objects.get(email=args.email or BENCH_MEMBER_EMAIL))
    for _ in range(2):
        assert client.get(args.url).status_code == 200
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.url)
    profile.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
