"""Shared import behaviour: every import is all-or-nothing."""

from import_export import resources


class AllOrNothingResource(resources.ModelResource):
    """A resource whose import writes nothing when any row is invalid or fails."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors, **kwargs,
        )
