"""The benchmark's yardstick page: any logged-in person, nobody else."""

from tests.access import Case, expect

BENCH_CASES: list[Case] = [
    Case("ping", lambda w: "/ping/", expect(200)),
]
