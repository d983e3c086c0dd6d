import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "a-Strong-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"candidate{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def email_confirmed(user, create, extracted, **kwargs):
        """`UserFactory(email_confirmed=True)`: the address was confirmed, as after its link was followed."""
        if create and extracted is not None:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=extracted)
