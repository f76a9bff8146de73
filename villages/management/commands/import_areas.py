"""manage.py import_areas: load the Kemendagri provinces, regencies, districts and villages.

The work is in villages.areas; this command parses arguments, shows progress and prints the counts.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from villages.areas import (
    DATA_DIR,
    AreaDataError,
    area_files_read,
    area_import_apply,
    area_import_plan,
    area_tables_refresh_statistics,
)


class Command(BaseCommand):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Set here rather than on the class so that it is translated into the language active now.
        self.help = _(
            "Create and update provinces, regencies, districts and villages from the Kemendagri lists. "
            "Deletes nothing and leaves the village heads' contacts alone; re-running changes nothing."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--regency",
            default=settings.KIM_REGENCY_CODE,
            metavar="CODE",
            help=_("Import this regency, its province, districts and villages (default: %(default)s)."),
        )
        scope.add_argument(
            "--all", action="store_true", dest="everything", help=_("Import all of Indonesia.")
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            metavar="PATH",
            help=_("Read the four indonesia_*.csv files from this folder (default: villages/data/)."),
        )

    def handle(self, *args, regency: str, everything: bool, data_dir: Path, **options) -> None:
        try:
            areas = area_files_read(data_dir=data_dir)
            plan = area_import_plan(areas=areas, regency_code=None if everything else regency)
        except AreaDataError as error:
            raise CommandError(str(error)) from error
        # tqdm redraws its line with "\r": give it the raw stream, since Django's wrapper would add newlines.
        progress = tqdm(
            total=plan.total,
            unit=_("rows"),
            file=self.stderr._out,
            disable=not self.stderr.isatty(),
            leave=False,
        )
        with progress:
            results = area_import_apply(plan=plan, on_progress=progress.update)
        if any(result.created or result.updated for result in results):
            area_tables_refresh_statistics()
        for result in results:
            line = _("%(level)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
                "level": result.level.plural,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
            self.stdout.write(line)
