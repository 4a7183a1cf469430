"""The "我不知道办什么" guide: plain questions that end at a service or say where to go instead."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.guide import GuideWalk
from screens.common import KioskScreen


class GuideScreen(KioskScreen):
    guide_walk: GuideWalk | None = None

    def refresh(self) -> None:
        app = self.app
        if self.guide_walk is None or self.guide_walk.guide is not app.content.guide:
            self.guide_walk = GuideWalk(app.content.guide)
        choices = self.ids.choices
        choices.clear_widgets()
        answer = self.guide_walk.answer
        self.ids.step.text = app.tr(app.language, "guide_step", number=len(self.guide_walk.trail))
        if answer is None:
            self.ids.question.text = app.tc(app.language, self.guide_walk.question.text)
            self.ids.detail.text = ""
            for choice in self.guide_walk.question.choices:
                button = Factory.GuideChoiceButton(text=app.tc(app.language, choice.label))
                button.choice_id = choice.id
                choices.add_widget(button)
        elif answer.service_id is not None:
            service = app.content.service(answer.service_id)
            self.ids.question.text = app.tr(app.language, "guide_answer_service") + app.tc(app.language, service.name)
            self.ids.detail.text = app.tc(app.language, service.summary)
            button = Factory.GuideChoiceButton(text=app.tr(app.language, "guide_view_service"))
            button.service_id = service.id
            choices.add_widget(button)
        else:
            assert answer.outside is not None
            self.ids.question.text = app.tr(app.language, "guide_outside") + app.tc(app.language, answer.outside.title)
            self.ids.detail.text = app.tc(app.language, answer.outside.text)
        if answer is not None:
            choices.add_widget(Factory.GuideStartOverButton(text=app.tr(app.language, "guide_start_over")))

    def choose(self, button: object) -> None:
        assert self.guide_walk is not None
        service_id = getattr(button, "service_id", "")
        if service_id:
            self.app.show("document", kind="service", service_id=service_id)
            return
        choice = next(c for c in self.guide_walk.question.choices if c.id == getattr(button, "choice_id", ""))
        self.guide_walk.choose(choice)
        self.refresh()

    def start_over(self) -> None:
        self.guide_walk = None
        self.refresh()

    def step_back(self) -> bool:
        if self.guide_walk is not None and self.guide_walk.back():
            self.refresh()
            return True
        return False

    def release(self) -> None:
        self.ids.choices.clear_widgets()

    def reset(self) -> None:
        self.guide_walk = None
