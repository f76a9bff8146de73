"""Give every stored photo stored before uploads were fitted its thumbnail, shrinking it (and dropping its EXIF,
the GPS position with it) as an upload now is. A photo that has its thumbnail is left alone, so the command can
run again at any time; it reports how many photos it fitted, skipped, or could not read."""

from functools import partial

from django.apps import apps
from django.core.files.base import File
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from kim.lib.uploads import Photo, delete_stored_files, fit_photo


class Command(BaseCommand):
    help = "Make the thumbnail of each stored photo that has none, shrinking the photo as uploads are."

    def handle(self, *args, **options):
        fitted = skipped = unreadable = 0
        for model in apps.get_models():
            if not issubclass(model, Photo):
                continue
            skipped += model.objects.exclude(thumbnail="").count()
            for photo in model.objects.filter(thumbnail="").order_by("pk").iterator():
                if self._fit(photo):
                    fitted += 1
                else:
                    unreadable += 1
        self.stdout.write(
            _(
                "%(fitted)d photos fitted with a thumbnail, %(skipped)d already had one, %(unreadable)d unreadable."
            )
            % {"fitted": fitted, "skipped": skipped, "unreadable": unreadable}
        )

    def _fit(self, photo: Photo) -> bool:
        old = photo.image.name or ""
        try:
            with photo.image.open("rb") as handle:
                fitted = fit_photo(File(handle))
        except Exception as error:  # a file gone, damaged, or no image: reported, the others go on
            self.stderr.write(f"{type(photo).__name__} {photo.pk} ({old}): {error}")
            return False
        written = photo.store(*fitted)
        try:
            with transaction.atomic():
                photo.save()
                transaction.on_commit(partial(delete_stored_files, [old]), robust=True)
        except Exception:
            delete_stored_files(written)
            raise
        return True
