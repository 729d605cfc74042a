"""The engine's exceptions: impossible input is refused, never turned into a plan."""


class EngineInputError(ValueError):
    """Base class. ``field`` names the offending input so a form can attach the message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidValueError(EngineInputError):
    """Wrong type (a float where a Decimal belongs), NaN, an empty key, an unknown choice."""


class CapOutOfRangeError(EngineInputError):
    """The weekly cap is outside 10-20 %."""


class IncrementError(EngineInputError):
    """An equipment increment that is zero or negative."""


class DoseOutOfRangeError(EngineInputError):
    """Sets, reps, a quantity or a target that is negative or beyond any sane bound."""


class ScoreOutOfRangeError(EngineInputError):
    """A 0-10 score (pain, soreness, fatigue, RPE) outside 0-10."""


class DeloadRhythmError(EngineInputError):
    """A deload rhythm outside every 2nd-8th week."""


class SettingOutOfRangeError(EngineInputError):
    """Another progression setting outside its bounds, or missing where the mode needs it."""


class DateOrderError(EngineInputError):
    """Weeks or sessions out of date order, a session outside its week, or a date after today."""


class DuplicateKeyError(EngineInputError):
    """The same prescription key twice where keys must be unique."""


class CriterionSyntaxError(EngineInputError):
    """An exit criterion that does not parse, e.g. ``lift >= lots``."""


class CapExceededError(EngineInputError):
    """A proposed or entered value above the cap limit or the phase target."""
