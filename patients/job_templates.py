"""The job-demand templates every clinic starts with, as plain data.

Plain data (no models) so that both ``services.jobs.ensure_clinic_templates`` and the
data migration that seeds clinics which existed before templates can use it.
"""

from decimal import Decimal
from typing import Any, NamedTuple


class TemplateTask(NamedTuple):
    task_type: str
    description: str
    load_kg: Decimal | None
    frequency: str
    height_from_cm: int | None = None
    height_to_cm: int | None = None
    distance_m: Decimal | None = None
    duration_min: int | None = None


class Template(NamedTuple):
    job_title: str
    shift_hours: Decimal
    breaks: str
    hazards: str
    notes: str
    tasks: tuple[TemplateTask, ...]


TEMPLATES: tuple[Template, ...] = (
    Template(
        job_title="Warehouse picker",
        shift_hours=Decimal("8"),
        breaks="2 × 15 min, 30 min lunch",
        hazards="Forklift traffic; cold store (−20 °C) for up to 1 h per shift",
        notes="Typical order picking from pallet racking onto a roll cage. "
        "Adjust loads to this employer's heaviest common carton.",
        tasks=(
            TemplateTask(
                "lift_floor_to_waist", "Lift cartons from pallet", Decimal("15"), "frequent", 15, 90
            ),
            TemplateTask(
                "lift_waist_to_shoulder",
                "Stack cartons on racking",
                Decimal("10"),
                "occasional",
                90,
                150,
            ),
            TemplateTask(
                "carry",
                "Carry totes to the conveyor",
                Decimal("12"),
                "frequent",
                None,
                None,
                Decimal("10"),
            ),
            TemplateTask(
                "push",
                "Push loaded roll cage",
                Decimal("25"),
                "occasional",
                None,
                None,
                Decimal("50"),
            ),
            TemplateTask("walking", "Walk the aisles", None, "constant", duration_min=300),
        ),
    ),
    Template(
        job_title="Care worker",
        shift_hours=Decimal("8"),
        breaks="2 × 15 min, 30 min meal break",
        hazards="Patient handling; wet floors; lone working at night",
        notes="Residential care. Hoists and slide sheets available; "
        "check the employer's manual-handling policy.",
        tasks=(
            TemplateTask(
                "push",
                "Push wheelchair or hoist",
                Decimal("10"),
                "frequent",
                None,
                None,
                Decimal("30"),
            ),
            TemplateTask(
                "pull", "Reposition a resident with a slide sheet", Decimal("15"), "occasional"
            ),
            TemplateTask(
                "lift_floor_to_waist", "Lift laundry bags", Decimal("10"), "occasional", 0, 90
            ),
            TemplateTask("stooping", "Make beds, help with dressing", None, "frequent"),
            TemplateTask("standing", "Stand during personal care", None, "frequent"),
        ),
    ),
    Template(
        job_title="Labourer",
        shift_hours=Decimal("9"),
        breaks="15 min morning, 30 min lunch, 15 min afternoon",
        hazards="Outdoor work in all weathers; vibration (breaker); working at height",
        notes="General building-site labourer.",
        tasks=(
            TemplateTask(
                "lift_floor_to_waist", "Lift 25 kg cement bags", Decimal("25"), "occasional", 0, 100
            ),
            TemplateTask(
                "carry",
                "Carry blocks to the bricklayer",
                Decimal("20"),
                "frequent",
                None,
                None,
                Decimal("20"),
            ),
            TemplateTask(
                "push",
                "Push a loaded wheelbarrow",
                Decimal("30"),
                "occasional",
                None,
                None,
                Decimal("40"),
            ),
            TemplateTask(
                "lift_overhead",
                "Pass boards up to the scaffold",
                Decimal("10"),
                "occasional",
                100,
                200,
            ),
            TemplateTask("stairs_ladders", "Climb ladders and scaffold stairs", None, "occasional"),
            TemplateTask("kneeling", "Kneel to lay kerbs and blocks", None, "occasional"),
        ),
    ),
)


def create_missing_templates(profile_model: Any, task_model: Any, clinic_id: int) -> list[Any]:
    """Create each template the clinic lacks (by title); return the profiles created.

    Takes the model classes so that the data migration can pass its historical ones.
    """
    existing = set(
        profile_model.objects.filter(clinic_id=clinic_id, is_template=True).values_list(
            "job_title", flat=True
        )
    )
    created = []
    for template in TEMPLATES:
        if template.job_title in existing:
            continue
        profile = profile_model.objects.create(
            clinic_id=clinic_id,
            employer=None,
            is_template=True,
            job_title=template.job_title,
            shift_hours=template.shift_hours,
            breaks=template.breaks,
            hazards=template.hazards,
            notes=template.notes,
        )
        created.append(profile)
    tasks = [
        task_model(profile=profile, order=order, **task._asdict())
        for profile in created
        for template in TEMPLATES
        if template.job_title == profile.job_title
        for order, task in enumerate(template.tasks)
    ]
    task_model.objects.bulk_create(tasks)
    return created
