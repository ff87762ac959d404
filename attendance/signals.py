"""What attendance tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent after check-ins were written or undone in bulk (an imported attendance list), inside
# the same transaction, with `registration_ids` (a set). A single check-in or undo is a save of
# its CheckIn row, which post_save already announces.
checkins_changed = Signal()
