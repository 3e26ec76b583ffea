import factory

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.support.models import Absence, RoutingRule, Team, TeamMember
from guichet.territory.models import Basin, BasinGrid


def zone(code: str) -> Basin:
    return Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code=code)


class AdvisorFactory(UserFactory):
    role = Role.ADVISOR
    email = factory.Sequence(lambda n: f"conseiller{n}@region.example")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Équipe {n}")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(AdvisorFactory)


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    team = factory.SubFactory(TeamFactory)
    topic = ""


def team_with_advisors(*, zone_code: str, count: int = 2, topic: str = "", lead: bool = True) -> tuple[Team, list]:
    """A team routed for a zone d'emploi (and optionally one topic), its advisors assigned to that zone."""
    team = TeamFactory()
    basin = zone(zone_code)
    RoutingRuleFactory(team=team, basin=basin, topic=topic)
    advisors = []
    for _ in range(count):
        member = TeamMemberFactory(team=team)
        AdvisorAssignment.objects.create(advisor=member.user, basin=basin)
        advisors.append(member.user)
    if lead:
        lead_member = TeamMemberFactory(team=team, is_lead=True, takes_requests=False)
        AdvisorAssignment.objects.create(advisor=lead_member.user, basin=basin)
    return team, advisors
