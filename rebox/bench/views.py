"""The ceiling: what this machine's stack does with one indexed SELECT (read) or one
SELECT plus one INSERT in a transaction (write), with no Rebox logic around it.

The load generator passes ``?id=`` (a random order id, so the read is not one hot row) and
``?store=`` (the benchmark's store, which the audit row must belong to).
"""

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def _int_param(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


def ceiling_read(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, number FROM orders_order WHERE id = %s",
                       [_int_param(request, "id", 1)])
        row = cursor.fetchone()
    return JsonResponse({"row": list(row) if row else None})


@csrf_exempt
def ceiling_write(request):
    store_id = _int_param(request, "store", 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM core_store WHERE id = %s", [store_id])
        cursor.fetchone()
        cursor.execute(
            "INSERT INTO core_auditentry (store_id, at, actor_type, actor_label, action,"
            " subject_type, subject_id, why, details) VALUES (%s, now(), 'system', 'bench',"
            " 'bench.ceiling', 'bench', 0, '', '{}')", [store_id])
    return JsonResponse({"ok": True}, status=201)
