"""What a formation's state means, asked of the model (by pages) and of the queryset (by lists and counts)."""

import pytest

from kim.formation import selectors
from kim.formation.models import Formation, Step
from tests.factories import FormationFactory

pytestmark = pytest.mark.django_db

OPEN, DONE, CANCELLED = Formation.State.OPEN, Formation.State.DONE, Formation.State.CANCELLED
NOT_ASKED, PENDING = Formation.Confirmation.NOT_ASKED, Formation.Confirmation.PENDING
CONFIRMED, RETURNED = Formation.Confirmation.CONFIRMED, Formation.Confirmation.RETURNED


@pytest.mark.parametrize(
    ("state", "step", "confirmation", "awaits"),
    [
        (OPEN, Step.MEETING, PENDING, True),
        (OPEN, Step.MEETING, RETURNED, False),
        (OPEN, Step.PATH, NOT_ASKED, False),
        (OPEN, Step.CONFIRMATION, CONFIRMED, False),
        (CANCELLED, Step.MEETING, PENDING, False),
        (DONE, Step.ACTIVE, CONFIRMED, False),
    ],
)
def test_a_formation_awaits_the_village_head_as_the_list_of_those_waiting_says(
    state, step, confirmation, awaits
):
    formation = FormationFactory(state=state, step=step, confirmation=confirmation)
    assert formation.awaits_confirmation is awaits
    assert Formation.objects.awaiting_confirmation().filter(pk=formation.pk).exists() is awaits


@pytest.mark.parametrize(
    ("state", "confirmation", "expected"),
    [
        # is_open, is_done, is_cancelled, is_confirmed, is_returned
        (OPEN, NOT_ASKED, (True, False, False, False, False)),
        (OPEN, RETURNED, (True, False, False, False, True)),
        (OPEN, CONFIRMED, (True, False, False, True, False)),
        (DONE, CONFIRMED, (False, True, False, True, False)),
        (CANCELLED, RETURNED, (False, False, True, False, True)),
    ],
)
def test_each_state_answers_its_own_question(state, confirmation, expected):
    formation = Formation(state=state, confirmation=confirmation)
    answers = (
        formation.is_open,
        formation.is_done,
        formation.is_cancelled,
        formation.is_confirmed,
        formation.is_returned,
    )
    assert answers == expected


def test_only_open_formations_sent_back_count_as_returned_on_the_home_page():
    returned = FormationFactory(step=Step.MEETING, confirmation=RETURNED)
    FormationFactory(step=Step.MEETING, confirmation=RETURNED, state=CANCELLED)
    FormationFactory(step=Step.MEETING, confirmation=PENDING)
    assert list(Formation.objects.open().returned()) == [returned]


@pytest.mark.parametrize(
    ("state", "step", "confirmation", "correctable"),
    [
        # Before the village head confirms, every step staff recorded may be corrected.
        (OPEN, Step.MEETING, RETURNED, {Step.COORDINATION, Step.PATH, Step.MEETING}),
        # Once confirmed, the path and the officers stay as confirmed.
        (OPEN, Step.DECREE, CONFIRMED, {Step.COORDINATION, Step.DECREE}),
        (OPEN, Step.BRIEFING, CONFIRMED, {Step.COORDINATION, Step.DECREE, Step.BRIEFING}),
        (CANCELLED, Step.MEETING, PENDING, set()),
        (DONE, Step.ACTIVE, CONFIRMED, set()),
    ],
)
def test_which_steps_staff_may_correct(state, step, confirmation, correctable):
    formation = Formation(state=state, step=step, confirmation=confirmation)
    assert {line for line in Step if formation.can_correct(line)} == correctable


def _actions(formation: Formation) -> dict[Step, list[str]]:
    actions = ("can_activate", "can_confirm_on_paper", "can_record", "can_correct")
    lines = selectors.formation_detail(formation)["steps"]
    return {line["step"]: [name for name in actions if line[name]] for line in lines}


def test_each_step_line_offers_at_most_one_action_while_the_village_head_is_asked():
    formation = FormationFactory(step=Step.MEETING, confirmation=PENDING)
    assert _actions(formation) == {
        Step.COORDINATION: ["can_correct"],
        Step.PATH: ["can_correct"],
        Step.MEETING: ["can_correct"],
        Step.CONFIRMATION: ["can_confirm_on_paper"],
        Step.DECREE: [],
        Step.BRIEFING: [],
        Step.ACTIVE: [],
    }


def test_a_returned_group_offers_no_paper_confirmation_and_a_briefed_one_its_activation():
    returned = FormationFactory(step=Step.MEETING, confirmation=RETURNED)
    assert _actions(returned)[Step.CONFIRMATION] == []
    briefed = FormationFactory(step=Step.BRIEFING, confirmation=CONFIRMED)
    assert _actions(briefed)[Step.ACTIVE] == ["can_activate"]
    assert _actions(briefed)[Step.PATH] == []


def test_the_next_step_staff_record_is_offered_for_recording():
    formation = FormationFactory(step=Step.CONFIRMATION, confirmation=CONFIRMED)
    assert _actions(formation)[Step.DECREE] == ["can_record"]
