from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class ListPaginator(Paginator):
    """Exact counts, except for an unfiltered list over a large PostgreSQL table.

    There the planner's row estimate (kept current by autovacuum, and by VACUUM ANALYZE after each area
    import) stands in for COUNT(*): counting 83,762 villages on every view of the first page costs more
    than the rest of the page, and nobody needs the national total to the last village. Below the
    threshold the same single query counts exactly, so the page runs as many queries at any size.
    `is_estimate` tells the template to say "about".

    Only for querysets whose joins cannot multiply rows (to-one relations), as a bare table count stands
    in for the queryset's own.
    """

    ESTIMATE_ABOVE = 10_000
    is_estimate = False

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None or query.where or query.combinator or query.distinct or query.is_sliced:
            return super().count
        connection = connections[getattr(self.object_list, "db", "default")]
        if connection.vendor != "postgresql":
            return super().count
        table = connection.ops.quote_name(query.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM {table}) END, reltuples > %s "
                "FROM pg_class WHERE oid = %s::regclass",
                [self.ESTIMATE_ABOVE, self.ESTIMATE_ABOVE, query.model._meta.db_table],
            )
            total, self.is_estimate = cursor.fetchone()
        return int(total)
