"""Model rows read and added with written-out SQL, as the ORM reads and adds them.

For the few statements asked on every post or signed-in page, where building
the query through the ORM costs several times what the database does with it
(each caller says what it measured). The SQL is made once a model; the values
go through the same converters and preparations as the ORM's, and an instance
added sends the same pre_save and post_save signals, so receivers (versions,
purges) see it as a save; rows added as values (insert_values) are only for
models no receiver listens to.

Each function looks the default connection up once: every attribute read
through django.db.connection is a lookup of its own.
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import AutoField, Model
from django.db.models.signals import post_save, pre_save


def columns(model, names: tuple[str, ...], alias: str = "") -> str:
    """The columns of the model's fields, for a SELECT list."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    prefix = f"{alias}." if alias else ""
    return ", ".join(
        f"{prefix}{quote(model._meta.get_field(name).column)}" for name in names
    )


def fields(model: type[Model]) -> tuple[str, ...]:
    """All the model's concrete fields, by attname, for reading whole rows."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def select(model: type[Model], names: tuple[str, ...], sql: str, params) -> list:
    """The model's instances from a written-out SELECT of the named fields'
    columns, in that order."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [_instance(connection, model, names, row) for row in found]


def get(model: type[Model], field: str, value, *, lock: bool = False):
    """The model's row whose field (unique) holds the value, every concrete field
    read, else None; with `lock`, locked until the transaction ends where the
    database locks rows (SELECT ... FOR UPDATE; SQLite locks the whole file on
    the first write instead)."""
    connection = connections[DEFAULT_DB_ALIAS]
    lock = lock and connection.features.has_select_for_update
    names, sql = _get(model, field, lock, connection.vendor)
    value = model._meta.get_field(field).get_db_prep_value(value, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    return None if row is None else _instance(connection, model, names, row)


@cache
def _get(model, field: str, lock: bool, vendor: str) -> tuple[tuple[str, ...], str]:
    names = fields(model)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    sql = (
        f"SELECT {columns(model, names)} FROM {quote(model._meta.db_table)}"
        f" WHERE {quote(model._meta.get_field(field).column)} = %s"
    )
    return names, sql + (" FOR UPDATE" if lock else "")


def instance(model: type[Model], names: tuple[str, ...], values) -> Model:
    """A model instance of the named fields from a row's values, converted as
    the ORM converts them (SQLite's dates, JSON, decimals)."""
    return _instance(connections[DEFAULT_DB_ALIAS], model, names, values)


def _instance(connection, model, names, values) -> Model:
    converted = []
    for (column, converters), value in zip(
        _converters(model, names, connection.vendor), values, strict=True
    ):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, names, converted)


@cache
def _converters(model, names: tuple[str, ...], vendor: str) -> list[tuple]:
    """Each named field's column and the backend's and field's converters for it,
    looked up once a model."""
    connection = connections[DEFAULT_DB_ALIAS]
    found = []
    for name in names:
        field = model._meta.get_field(name)
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column)
        found.append((column, converters + field.get_db_converters(connection)))
    return found


def insert(obj: Model) -> Model:
    """Add the new instance's row, as obj.save() would, and give it its pk.

    Every concrete field is written (defaults and auto_now_add filled in by the
    fields, as on a save); the pk comes from the database.
    """
    return insert_many([obj])[0]


def insert_many(objs: list[Model]) -> list[Model]:
    """Add new instances of one model in one statement, each as insert() adds
    it: the signals of a save for each, in order, and each its pk."""
    connection = connections[DEFAULT_DB_ALIAS]
    if len(objs) > 1 and not connection.features.can_return_columns_from_insert:
        return [insert(obj) for obj in objs]
    model = type(objs[0])
    for obj in objs:
        pre_save.send(
            sender=model,
            instance=obj,
            raw=False,
            using=connection.alias,
            update_fields=None,
        )
        obj._prepare_related_fields_for_save(operation_name="save")
    fields, sql, returns = _insert(model, connection.vendor, len(objs))
    values = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in fields
    ]
    pks = _inserted(connection, model, sql, values, returns)
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
        post_save.send(
            sender=model,
            instance=obj,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )
    return objs


def insert_values(model: type[Model], values: list[dict]) -> list[int]:
    """Add rows of one model in one statement from their fields' values, by
    attname, and give their pks; a field left out takes its default.

    For rows no one reads back as instances: no instance is built and no signal
    is sent, so a model with save receivers, or with fields set on a save
    (auto_now), is refused. Each value is prepared as the ORM prepares it.
    """
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise ValueError(f"{model._meta.label}'s saves are listened to: insert().")
    connection = connections[DEFAULT_DB_ALIAS]
    if len(values) > 1 and not connection.features.can_return_columns_from_insert:
        return [pk for row in values for pk in insert_values(model, [row])]
    fields, sql, returns = _insert(model, connection.vendor, len(values))
    if any(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in fields
    ):
        raise ValueError(f"{model._meta.label} sets fields on a save: insert().")
    params = []
    for row in values:
        for field in fields:
            value = row[field.attname] if field.attname in row else field.get_default()
            params.append(field.get_db_prep_save(value, connection))
    return _inserted(connection, model, sql, params, returns)


def _inserted(connection, model, sql: str, params: list, returns: bool) -> list:
    """Run an INSERT of _insert's and give the new rows' pks, in the rows' order."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returns:
            # Sorted: the ids are given in the rows' order, whatever order
            # RETURNING lists them in.
            return sorted(row[0] for row in cursor.fetchall())
        return [
            connection.ops.last_insert_id(
                cursor, model._meta.db_table, model._meta.pk.column
            )
        ]


@cache
def _insert(model, vendor: str, count: int) -> tuple[list, str, bool]:
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    if not isinstance(pk, AutoField):
        raise ValueError(f"{model._meta.label} has no pk the database gives.")
    fields = [field for field in model._meta.local_concrete_fields if field is not pk]
    row = f"({', '.join(['%s'] * len(fields))})"
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)}"
        f" ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES {', '.join([row] * count)}"
    )
    returns = connection.features.can_return_columns_from_insert
    if returns:
        sql += f" RETURNING {quote(pk.column)}"
    return fields, sql, returns
