from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_subquery(queryset, field: str, outer: str = "pk"):
    """A correlated COUNT(*) of `queryset` rows whose `field` is the outer row's `outer`: one row per
    outer row, without the join fan-out that Count() over several relations gives."""
    counted = queryset.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
