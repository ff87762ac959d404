from django.dispatch import Signal

# Sent after a forum has been copied, inside the same transaction, with `source` and `copy`
# (both Forum) and `shift` (the timedelta between the two). Apps that hang data on a forum
# (workshops) copy theirs on receipt, so forums need not know about them.
forum_duplicated = Signal()
