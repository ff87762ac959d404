from django.core import checks

from companies.references import company_relations, declared_labels


@checks.register(checks.Tags.models)
def check_declared_company_relations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A relation declared as not moved by a merge must exist: a renamed or removed field would
    otherwise leave its successor moved without anyone deciding."""
    known = {relation.label for relation in company_relations()}
    return [
        checks.Error(
            f"{label} is declared as a company relation that merges do not move, but no such "
            "relation to forums.Organisation exists.",
            hint="Update the declare_company_relation call to the relation's current name.",
            id="companies.E001",
        )
        for label in sorted(declared_labels() - known)
    ]
