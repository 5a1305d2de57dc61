"""`field__any=ids`: `field = ANY(%s)` with the ids as one array parameter on PostgreSQL, `IN (…)`
elsewhere. For thousands of ids (an import's clients), where `__in` sends a parameter per id. Given a
queryset instead, it is `__in` with that subquery."""

from django.db.models import Field, ForeignObject, Lookup, QuerySet
from django.db.models.lookups import In
from django.db.models.sql import Query

SUBQUERY = (QuerySet, Query)  # the ORM hands a queryset over as its Query


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        if isinstance(self.rhs, SUBQUERY):
            return self.rhs
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if isinstance(self.rhs, SUBQUERY):
            return In(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{self.lhs.output_field.rel_db_type(connection)}[])", [*params, values]
        if not values:
            return "1 = 0", params
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # related fields keep lookups of their own
