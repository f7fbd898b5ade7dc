"""The ceiling: what this machine's stack does with one indexed SELECT (read) or one
SELECT plus one INSERT in a transaction (write), with no Rebox logic around it."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def ceiling_read(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, number FROM orders_order WHERE id = %s", [1])
        row = cursor.fetchone()
    return JsonResponse({"row": list(row) if row else None})


@csrf_exempt
def ceiling_write(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM core_store WHERE id = %s", [1])
        cursor.fetchone()
        cursor.execute(
            "INSERT INTO core_auditentry (store_id, at, actor_type, actor_label, action,"
            " subject_type, subject_id, why, details) VALUES (%s, now(), 'system', 'bench',"
            " 'bench.ceiling', 'bench', 0, '', '{}')", [1])
    return JsonResponse({"ok": True}, status=201)
