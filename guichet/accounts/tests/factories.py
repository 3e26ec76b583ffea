import factory

from guichet.accounts.models import Role, User

PASSWORD = "une phrase de passe solide"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = "Martin"
    role = Role.YOUNG
    password = factory.django.Password(PASSWORD)

    class Params:
        employer = factory.Trait(role=Role.EMPLOYER)
