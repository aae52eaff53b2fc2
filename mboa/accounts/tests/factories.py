import factory

from mboa.accounts.models import Role, User
from mboa.actors.models import Structure

TEST_PASSWORD = "a-good-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(structure_code="MINAS", roles=["focal_point"])``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        structure_code = "OIM"

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.mboa.cm")
    structure = factory.LazyAttribute(lambda u: Structure.objects.get(code=u.structure_code))
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))
            self.refresh_roles()


def api_token_for(user, name: str = "test") -> str:
    """A working personal API token for ``user``: its key (the database keeps only a digest)."""
    from mboa.accounts import services

    return services.api_token_create(user=user, by=user, name=name)[1]
