from django import forms
from django.db.models import QuerySet

from rtw.models import Employer, Role
from rtw.models.users import CLINIC_ROLES

CLINIC_ROLE_CHOICES = [(r.value, r.label) for r in CLINIC_ROLES]


class InviteStaffForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=CLINIC_ROLE_CHOICES, initial=Role.PHYSIOTHERAPIST)


class InviteViewerForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    employer = forms.ModelChoiceField(queryset=Employer.objects.none())

    def __init__(self, *args: object, employers: QuerySet[Employer], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=CLINIC_ROLE_CHOICES)


class EmployerForm(forms.Form):
    name = forms.CharField(max_length=200)
