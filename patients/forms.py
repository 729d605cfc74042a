from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from patients.models import JobDemandProfile, Patient, RedFlagTier
from patients.models.consent import SCOPE_LABELS
from patients.rules import consent_date_problems, patient_date_problems
from patients.scoping import visible_job_profiles
from patients.services.patients import PATIENT_FIELDS
from rtw.models import Employer, User
from rtw.models.users import CLINICIAN_ROLES
from rtw.scoping import employers_visible_to


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ProfileChoiceField(forms.ModelChoiceField[JobDemandProfile]):
    def label_from_instance(self, obj: JobDemandProfile) -> str:
        return f"{obj.job_title} — {obj.employer}"


class PhysioChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def clinicians_of(user: User, also: int | None = None) -> QuerySet[User]:
    """The clinic's active physiotherapists (and ``also``, the one assigned now)."""
    if user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(clinic_id=user.clinic_id, role__in=CLINICIAN_ROLES).filter(
        Q(is_active=True) | Q(pk=also)
    )


FIELDSETS = (
    ("Identity and contact", ("first_name", "last_name", "date_of_birth", "sex", "email", "phone")),
    ("Employer and job", ("employer", "job_title", "job_profile")),
    (
        "Injury",
        ("body_region", "injury_onset", "injury_mechanism", "work_related", "diagnosis"),
    ),
    ("Risk factors", ("previous_same_site_injury", "smoker", "diabetes", "other_comorbidities")),
    ("Care", ("physiotherapist", "status")),
)


class PatientForm(forms.ModelForm[Patient]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    job_profile = ProfileChoiceField(
        queryset=JobDemandProfile.objects.none(),
        required=False,
        label="Job-demand profile",
        help_text="One of the employer's profiles; it must belong to the employer chosen above.",
    )
    physiotherapist = PhysioChoiceField(
        queryset=User.objects.none(), label="Assigned physiotherapist"
    )

    class Meta:
        model = Patient
        fields = PATIENT_FIELDS
        widgets = {
            "date_of_birth": DateInput,
            "injury_onset": DateInput,
            "injury_mechanism": forms.TextInput,
            "diagnosis": forms.TextInput,
        }
        labels = {
            "sex": "Sex (for strength norms)",
            "phone": "Phone",
            "job_title": "Job title",
            "injury_onset": "Injury onset",
            "injury_mechanism": "Mechanism of injury",
            "work_related": "The injury is work-related",
            "previous_same_site_injury": "Previous injury at the same site",
            "smoker": "Smoker",
            "diabetes": "Diabetes",
            "other_comorbidities": "Other comorbidities",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["employer"].queryset = employers_visible_to(user)  # type: ignore[attr-defined]
        self.fields["job_profile"].queryset = (  # type: ignore[attr-defined]
            visible_job_profiles(user).filter(is_template=False).select_related("employer")
        )
        self.fields["physiotherapist"].queryset = clinicians_of(  # type: ignore[attr-defined]
            user, also=self.instance.physiotherapist_id if self.instance.pk else None
        )
        self.fields["version"].initial = self.instance.version
        for name in ("date_of_birth", "injury_onset"):
            self.fields[name].widget.attrs["max"] = self.today.isoformat()

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in FIELDSETS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problems = patient_date_problems(
            cleaned.get("date_of_birth"), cleaned.get("injury_onset"), self.today
        )
        for field, message in problems:
            self.add_error(field, message)
        employer: Employer | None = cleaned.get("employer")
        profile: JobDemandProfile | None = cleaned.get("job_profile")
        mismatch = profile is not None and (employer is None or profile.employer_id != employer.pk)
        if mismatch and "employer" not in self.errors:
            self.add_error(
                "job_profile",
                "This profile belongs to another employer: choose one of "
                f"{employer.name if employer else 'the chosen employer'}'s profiles.",
            )
        return cleaned


class ConsentForm(forms.Form):
    given_on = forms.DateField(label="Consent given on", widget=DateInput)
    scope = forms.MultipleChoiceField(
        label="What the worker agrees to share with their employer",
        choices=list(SCOPE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the worker agrees to share."},
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.today = timezone.localdate()
        self.fields["given_on"].initial = self.today
        self.fields["given_on"].widget.attrs["max"] = self.today.isoformat()

    def clean_given_on(self) -> date:
        given_on: date = self.cleaned_data["given_on"]
        problems = consent_date_problems(
            "given_on", given_on, self.today, self.patient.date_of_birth, "the date of birth"
        )
        for _, message in problems:
            raise forms.ValidationError(message)
        return given_on


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(label="Consent withdrawn on", widget=DateInput)

    def __init__(self, *args: Any, given_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.given_on = given_on
        self.today = timezone.localdate()
        self.fields["withdrawn_on"].initial = self.today
        self.fields["withdrawn_on"].widget.attrs.update(
            min=given_on.isoformat(), max=self.today.isoformat()
        )

    def clean_withdrawn_on(self) -> date:
        withdrawn_on: date = self.cleaned_data["withdrawn_on"]
        problems = consent_date_problems(
            "withdrawn_on", withdrawn_on, self.today, self.given_on, "it was given"
        )
        for _, message in problems:
            raise forms.ValidationError(message)
        return withdrawn_on


FLAG_CHOICES = [
    ("", "Any"),
    ("flagged", "Any red flag"),
    *RedFlagTier.choices,
    ("none", "No red flag"),
]
STATUS_CHOICES = [("active", "Active"), ("discharged", "Discharged"), ("all", "All")]


class CaseloadFilterForm(forms.Form):
    """A GET form; every field has a default so that a bare URL is "my active caseload"."""

    q = forms.CharField(label="Search by name", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES)
    physio = forms.ChoiceField(label="Physiotherapist")
    employer = forms.ChoiceField(label="Employer", required=False)
    flag = forms.ChoiceField(label="Red flag", choices=FLAG_CHOICES, required=False)

    def __init__(self, data: dict[str, str], *, user: User) -> None:
        super().__init__(data)
        self.fields["physio"].choices = [  # type: ignore[attr-defined]
            ("all", "All physiotherapists"),
            *((str(u.pk), u.display_name) for u in clinicians_of(user)),
        ]
        self.fields["employer"].choices = [  # type: ignore[attr-defined]
            ("", "Any employer"),
            *((str(e.pk), e.name) for e in employers_visible_to(user)),
        ]

    @staticmethod
    def defaults(user: User) -> dict[str, str]:
        return {"q": "", "status": "active", "physio": str(user.pk), "employer": "", "flag": ""}
