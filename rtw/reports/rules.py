"""The limits a report request is checked against, and the words for each outcome, shared
by the form, the service and the task."""

from datetime import date

MAX_PERIOD_DAYS = 366
MAX_ATTEMPTS = 5
FUTURE = "A report cannot cover days that have not happened yet."
REVERSED = "The period must start on or before its last day."
TOO_LONG = f"A report covers at most {MAX_PERIOD_DAYS} days."
NOT_QUEUED = (
    "The report could not be queued: the rendering service is not answering. "
    "Nothing was sent; try again in a moment."
)
NOT_MADE = "The PDF could not be made. Try again; if it fails again, contact support."
TOO_SLOW = "Making the PDF took too long and was stopped. Try again."
GAVE_UP = f"The PDF could not be made after {MAX_ATTEMPTS} attempts. Try again later."


def period_problem(period_from: date, period_to: date, today: date) -> str:
    """What is wrong with a report period, or "" when nothing is."""
    if period_to > today:
        return FUTURE
    if period_from > period_to:
        return REVERSED
    if (period_to - period_from).days + 1 > MAX_PERIOD_DAYS:
        return TOO_LONG
    return ""
