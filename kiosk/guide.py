"""A visitor's walk through the "我不知道办什么" guide: where they are and how they got there."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content import Guide, GuideChoice, GuideOutside, GuideQuestion


@dataclass(frozen=True)
class Answer:
    """Where a walk ended: a service to look at, or a place outside the center."""

    service_id: str | None = None
    outside: GuideOutside | None = None


class GuideWalk:
    """The questions answered so far; ``back`` undoes the last answer."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.trail: list[str] = [Guide.START]
        self.answer: Answer | None = None

    @property
    def question(self) -> GuideQuestion:
        return self.guide.questions[self.trail[-1]]

    def choose(self, choice: GuideChoice) -> Answer | None:
        """Follow a choice of the current question; return the answer when the walk ends."""
        kind, _, ident = choice.goto.partition(".")
        if kind == "question":
            self.trail.append(ident)
            self.answer = None
        elif kind == "service":
            self.answer = Answer(service_id=ident)
        else:
            self.answer = Answer(outside=self.guide.outside[ident])
        return self.answer

    def back(self) -> bool:
        """Step back one question (or out of the answer); False when already at the start."""
        if self.answer is not None:
            self.answer = None
            return True
        if len(self.trail) > 1:
            self.trail.pop()
            return True
        return False
