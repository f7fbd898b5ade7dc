"""Jobs of the shipping app: buy one label, sweep the labels due (retries, lost messages)."""

from celery import shared_task

from rebox.shipping.labels import label_purchase, labels_sweep


@shared_task(acks_late=True)
def label_purchase_task(label_id: int) -> str:
    return label_purchase(label_id=label_id)


@shared_task
def label_sweep() -> int:
    return labels_sweep()
