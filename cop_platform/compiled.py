"""Querysets whose SQL the ORM writes once per process, then runs with each request's values.

Building a queryset and compiling it to SQL cost about a third of a community page's time, for queries whose SQL
never changes: only their values do (a slug, a user id, today's date). A `CompiledQuery` builds its queryset once
with stand-in values, keeps the compiler the ORM set up (columns, joins, converters) and the SQL, and on each call
runs that SQL with the real values in the stand-ins' places, through the same iterable the queryset would use, so
the rows come back as the same model instances (with `select_related` and annotations) or tuples.

What may vary between calls, and how:
- *values* (keyword arguments): scalars the ORM passes as query parameters untouched (int, str, date, datetime;
  never None, a list or a pattern such as `icontains`), typed in the build function's signature. A value the
  ORM would fold into the SQL text, or alter, makes the first call fail loudly rather than run the wrong query.
  A value with a default (None) may be left out: the build then gets None, and that is another shape.
- *shape* (positional arguments): anything that changes the SQL text itself (a slice, a list of verbs). Each
  distinct shape is compiled once; keep their number small.
Nothing else may change the SQL: not the time zone, not a setting (a changed setting, in tests, drops every
compiled query). The result is a list, not a queryset, so nobody can chain a filter onto SQL that ignores it.
"""

import copy
import datetime
import inspect
import typing
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver

_MAX_SHAPES = 16
_ALL: list["CompiledQuery"] = []


def _stand_in(kind, index: int):
    """A value no real row has, of the parameter's type, that the ORM passes through to the SQL parameters."""
    if kind is int:
        # Within a positive 32-bit column's range: out of a field's range, the ORM drops the comparison.
        return 2_024_000_000 + index
    if kind is str:
        return f"zq9compiled{index}zq"
    if kind is datetime.datetime:
        return datetime.datetime(1, 1, 1 + index, 1, 2, 3, tzinfo=datetime.UTC)
    if kind is datetime.date:
        return datetime.date(1, 1, 1 + index)
    raise ImproperlyConfigured(f"a compiled query's values are int, str, date or datetime, not {kind!r}")


def _adapt(connection, value):
    """The value as the ORM hands it to the driver (dates and times are strings on SQLite)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _BoundQuery:
    """Stands in for the queryset's `query` while it is evaluated: hands out the kept compiler, bound to this
    call's parameters and this thread's connection; everything else is read from the original query."""

    def __init__(self, plan: "_Plan", params: tuple):
        self._plan = plan
        self._params = params

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = copy.copy(self._plan.compiler)
        compiler.connection = connections[using] if connection is None else connection
        sql, params = self._plan.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def __getattr__(self, name):
        return getattr(self._plan.queryset.query, name)


class _Plan:
    def __init__(self, queryset, compiler, sql: str, params: tuple, slots: list[tuple[int, str]]):
        self.queryset, self.compiler, self.sql, self.params, self.slots = queryset, compiler, sql, params, slots


class CompiledQuery:
    """`@CompiledQuery` on a function that returns a queryset; calling it returns the queryset's rows as a list."""

    def __init__(self, build: Callable):
        self.build = build
        hints = typing.get_type_hints(build)
        values = [p for p in inspect.signature(build).parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
        self.value_names = {p.name for p in values}
        self.required = {p.name for p in values if p.default is inspect.Parameter.empty}
        self.kinds = {p.name: hints.get(p.name) for p in values}
        self._plans: dict[tuple, _Plan] = {}
        self.__doc__, self.__name__ = build.__doc__, build.__name__
        _ALL.append(self)

    def _compile(self, shape: tuple, given: tuple[str, ...]) -> _Plan:
        stand_ins = {name: _stand_in(self.kinds[name], i) for i, name in enumerate(given)}
        queryset = self.build(*shape, **stand_ins)
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        adapted = {name: _adapt(connection, value) for name, value in stand_ins.items()}
        slots = [
            (index, name)
            for index, param in enumerate(params)
            for name, value in adapted.items()
            if type(param) is type(value) and param == value
        ]
        missing = set(given) - {name for _, name in slots}
        if missing or any(str(value) in sql for value in adapted.values()):
            raise ImproperlyConfigured(
                f"{self.__name__}: the values {sorted(missing) or sorted(adapted)} do not reach the SQL as parameters"
            )
        return _Plan(queryset, compiler, sql, tuple(params), slots)

    def __call__(self, *shape, **values) -> list:
        if not self.required <= values.keys() <= self.value_names or any(v is None for v in values.values()):
            raise TypeError(f"{self.__name__} takes the values {sorted(self.value_names)}, none of them None")
        # The values left out (those with a default) are part of the shape: the build leaves their filter out.
        key = (shape, given := tuple(sorted(values)))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._compile(shape, given)
            if len(self._plans) >= _MAX_SHAPES:
                self._plans.clear()
            self._plans[key] = plan
        template = plan.queryset
        connection = connections[template.db]
        params = list(plan.params)
        for index, name in plan.slots:
            params[index] = _adapt(connection, values[name])
        queryset = template.__class__.__new__(template.__class__)
        queryset.__dict__.update(template.__dict__)
        queryset._query = _BoundQuery(plan, tuple(params))
        queryset._result_cache = None
        queryset._prefetch_done = False
        return list(queryset)

    def forget(self) -> None:
        self._plans.clear()


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    # A test that changes a setting may change the SQL (a page size, a database): compile again.
    for query in _ALL:
        query.forget()
