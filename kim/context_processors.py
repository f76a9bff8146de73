from django.conf import settings


def site(request):
    return {"REGENCY_NAME": settings.KIM_REGENCY_NAME}
