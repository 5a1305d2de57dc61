"""Signals of the claims app, for apps above it (flags): sent by the batch services in their transaction."""

from django.dispatch import Signal

# A batch of `office` changed where its client-months stand (created, finalized, written, returned …).
claim_batches_changed = Signal()
