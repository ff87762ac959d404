"""What the admin reads from a request, read strictly: an id that is not a number, or a number no
column can hold, names nothing. Without this the admin's own views answer 500 to `?organisation=²`
(its autocomplete widgets look the typed ids up as given) and, on SQLite, to a 30-digit id in a
list of ids (`pk__in` binds it, and SQLite cannot)."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column, with the values no such column can hold left out: none of them
    can match a row, so the answer is the same, and no backend is asked to bind them."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(IntegerFieldIn)


class _StrictSelected:
    """An autocomplete widget that shows only the chosen values that can be ids: the others name
    nothing, and the form's own validation says so."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field  # type: ignore[attr-defined]
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, ValueError, TypeError, OverflowError):
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)  # type: ignore[misc]


class StrictAutocompleteSelect(_StrictSelected, AutocompleteSelect):
    pass


class StrictAutocompleteSelectMultiple(_StrictSelected, AutocompleteSelectMultiple):
    pass


class StrictInputs(admin.options.BaseModelAdmin):
    """Mixed into every admin class the site registers (accounts/admin_site.py)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = StrictAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = StrictAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
