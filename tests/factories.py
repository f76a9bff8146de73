import datetime as dt

import factory
from django.utils import timezone

from kim.accounts.models import Role, User
from kim.formation.models import Formation, Target
from kim.mentoring.models import Visit
from kim.register.models import DevelopmentLevel, Kim, Member
from kim.reminders.models import Reminder, ReminderRule
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.sessions.models import Session
from villages.models import CommunityGroup, District, Province, Regency, Village, VillageYear


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "33"
    name = "Jawa Tengah"


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ("code",)

    code = "33.03"
    province = factory.SubFactory(ProvinceFactory)
    name = "Kabupaten Purbalingga"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    regency = factory.SubFactory(RegencyFactory)
    code = factory.Sequence(lambda n: f"33.03.{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}.{2001 + n % 7999:04d}")
    name = factory.Sequence(lambda n: f"Desa {n}")
    kind = "desa"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Dinas Nomor {n}")
    short_name = factory.Sequence(lambda n: f"Dinas{n}")


class VillageYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageYear

    village = factory.SubFactory(VillageFactory)
    year = 2019


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityGroup

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"Kelompok {n}")
    kind = CommunityGroup.Kind.PKK


class KimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kim

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"KIM {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Pengguna {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "sandi-rahasia-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    kim = factory.SubFactory(KimFactory)
    name = factory.Sequence(lambda n: f"Anggota {n}")
    position = Member.Position.ANGGOTA


class DevelopmentLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentLevel
        django_get_or_create = ("name",)

    name = "Pemula"
    rank = 1


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    kim = factory.SubFactory(KimFactory)
    visited_on = factory.LazyFunction(lambda: dt.date(2019, 3, 1))
    kind = Visit.Kind.PENDAMPINGAN
    topic = "Pendampingan pengelolaan informasi"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    village = factory.SubFactory(VillageFactory)
    year = 2019


class FormationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Formation

    target = factory.SubFactory(TargetFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = "Penanggulangan stunting"


class ResourcePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourcePerson

    name = factory.Sequence(lambda n: f"Narasumber {n}")
    agency = factory.SubFactory(AgencyFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    agency = factory.SubFactory(AgencyFactory)
    kim = factory.SubFactory(KimFactory)
    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"Sosialisasi {n}")
    starts_at = factory.LazyFunction(lambda: dt.datetime(2019, 3, 7, 2, 0, tzinfo=dt.UTC))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    venue = "Balai Desa"


class ReminderFactory(factory.django.DjangoModelFactory):
    """An outbox row already sent (override state, channel, recipient as needed)."""

    class Meta:
        model = Reminder

    rule = factory.LazyFunction(
        lambda: (
            ReminderRule.objects.order_by("pk").first()
            or ReminderRule.objects.create(
                trigger="session_start", name="H-3", offset_days=-3, audience=["officers"]
            )
        )
    )
    trigger = factory.LazyAttribute(lambda o: o.rule.trigger)
    subject = "session:1"
    concerns = "session:1"
    recipient = factory.LazyAttribute(lambda o: f"user:{o.user.pk}" if o.user else "person:1")
    user = None
    recipient_name = "Penerima"
    channel = "inbox"
    occurrence = factory.Sequence(lambda n: f"20190311T0200#{n}")
    due_at = factory.LazyFunction(timezone.now)
    state = "sent"
    sent_at = factory.LazyFunction(timezone.now)
    title = "Pengingat: Cegah stunting 3 hari lagi (H-3)"
    body = "Cegah stunting\nKamis, 14 Maret 2019, 09:00 WIB"
    url = "http://127.0.0.1:8000/opd/sesi/1/"
