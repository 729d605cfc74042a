"""The shared exercise library and the two shared program templates.

The data is written out here (not imported from the app) so that this migration means
the same thing forever. Running it twice changes nothing.
"""

from decimal import Decimal as D

from django.db import migrations

# name, category, task type, progressing quantity, increment, description
EXERCISES = [
    ("Floor-to-waist lift (crate)", "task_simulation", "lift_floor_to_waist", "load", D("0.5"),
     "Lift a handled crate from the floor to a waist-high bench and back, neutral spine."),
    ("Waist-to-shoulder lift (crate)", "task_simulation", "lift_waist_to_shoulder", "load", D("0.5"),
     "Lift a crate from a waist-high bench onto a shoulder-high shelf."),
    ("Overhead lift (crate)", "task_simulation", "lift_overhead", "load", D("0.5"),
     "Place a crate on a shelf above head height."),
    ("Two-handed carry (crate)", "task_simulation", "carry", "load", D("1"),
     "Carry a crate 20 m, turn, return: one rep."),
    ("Sled push", "task_simulation", "push", "load", D("2.5"),
     "Push a loaded sled 10 m: mirrors roll cages, trolleys and wheelchairs."),
    ("Rope pull (sled)", "task_simulation", "pull", "load", D("2.5"),
     "Pull a loaded sled 10 m hand over hand: mirrors slide-sheet repositioning."),
    ("Standing work tolerance", "task_simulation", "standing", "duration", D("5"),
     "Bench work standing, with position changes allowed."),
    ("Stair climbing", "task_simulation", "stairs_ladders", "duration", D("1"),
     "Continuous stair climbing at a steady pace."),
    ("Romanian deadlift (dumbbells)", "free_weight", "", "load", D("1"),
     "Hip hinge with two dumbbells; the load is the total of both."),
    ("Goblet squat", "free_weight", "", "load", D("1"),
     "Squat holding one dumbbell or kettlebell at the chest."),
    ("Kettlebell deadlift", "free_weight", "", "load", D("2"),
     "Hinge to lift a kettlebell from between the feet."),
    ("Leg press", "machine", "", "load", D("5"), ""),
    ("Seated cable row", "machine", "", "load", D("2.5"), ""),
    ("Lat pulldown", "machine", "", "load", D("2.5"), ""),
    ("Pallof press (band)", "band", "", "load", D("1"),
     "Anti-rotation press; the load is the band's rated resistance."),
    ("Dead bug", "bodyweight", "", "load", D("0.5"),
     "Body weight (0 kg); progress by reps, or add a weight vest."),
    ("Side plank", "bodyweight", "", "duration", D("0.1"),
     "Hold on each side; the quantity is the hold in minutes."),
    ("Bird dog", "bodyweight", "", "load", D("0.5"), "Body weight (0 kg); progress by reps."),
    ("Cat-camel", "mobility", "", "duration", D("0.5"), "Slow spinal flexion and extension."),
    ("Hip flexor stretch", "mobility", "", "duration", D("0.5"), "Half-kneeling, each side."),
    ("Stationary bike", "cardio", "", "duration", D("1"), "Steady, conversational pace."),
    ("Brisk walk", "cardio", "walking", "distance", D("100"), "Outdoors or on a treadmill."),
]

FOUNDATION = (
    "Foundation",
    "Posture, core control and controlled movement; settle pain and build confidence.",
    2,
    "nprs <= 4",
)

# name, description, [(phase name, goals, weeks, criteria,
#                      [(exercise, sets, reps, quantity, tempo, rest, key?)])]
TEMPLATES = [
    (
        "Warehouse lifting",
        "Staged return to lifting, carrying and pushing cartons and roll cages.",
        [
            (*FOUNDATION, [
                ("Dead bug", 3, 10, D("0"), "3-1-3", 60, False),
                ("Side plank", 3, 1, D("1"), "", 60, False),
                ("Goblet squat", 3, 10, D("8"), "3-1-2", 90, False),
                ("Stationary bike", 1, 1, D("10"), "", 0, False),
            ]),
            ("Capacity", "Progressive resistance: hinge, squat and pull.", 4,
             "lift_floor_to_waist >= 60% demand\nnprs <= 3", [
                ("Romanian deadlift (dumbbells)", 3, 8, D("16"), "3-1-2", 120, False),
                ("Goblet squat", 3, 10, D("10"), "3-1-2", 90, False),
                ("Seated cable row", 3, 10, D("20"), "2-1-2", 90, False),
                ("Floor-to-waist lift (crate)", 3, 6, D("8"), "", 120, True),
                ("Side plank", 3, 1, D("1"), "", 60, False),
            ]),
            ("Work simulation", "Lift, carry and push drills mirroring the job's critical tasks.",
             4, "lift_floor_to_waist >= 100% demand\ncarry >= 100% demand\nnprs <= 3", [
                ("Floor-to-waist lift (crate)", 3, 8, D("12"), "", 120, True),
                ("Waist-to-shoulder lift (crate)", 3, 6, D("8"), "", 120, True),
                ("Two-handed carry (crate)", 3, 4, D("10"), "", 90, True),
                ("Sled push", 3, 4, D("20"), "", 120, True),
                ("Standing work tolerance", 1, 1, D("30"), "", 0, False),
            ]),
            ("Graded return and maintenance",
             "Keep capacity at the job demand while hours at work build up.", 3, "", [
                ("Floor-to-waist lift (crate)", 2, 8, D("15"), "", 120, True),
                ("Two-handed carry (crate)", 2, 4, D("12"), "", 90, True),
                ("Romanian deadlift (dumbbells)", 2, 8, D("20"), "3-1-2", 120, False),
            ]),
        ],
    ),
    (
        "Patient handling",
        "Staged return to pushing wheelchairs and beds, repositioning and bed making.",
        [
            (*FOUNDATION, [
                ("Bird dog", 3, 10, D("0"), "2-2-2", 60, False),
                ("Pallof press (band)", 3, 10, D("3"), "2-2-2", 60, False),
                ("Stationary bike", 1, 1, D("10"), "", 0, False),
            ]),
            ("Capacity", "Progressive resistance for pushing, pulling and hinging.", 4,
             "push >= 60% demand\nnprs <= 3", [
                ("Leg press", 3, 10, D("40"), "3-1-2", 120, False),
                ("Lat pulldown", 3, 10, D("20"), "2-1-2", 90, False),
                ("Kettlebell deadlift", 3, 8, D("8"), "3-1-2", 120, False),
                ("Sled push", 3, 4, D("10"), "", 120, True),
            ]),
            ("Work simulation", "Wheelchair and bed pushing, slide-sheet pulls, low lifts.", 4,
             "push >= 100% demand\nnprs <= 3", [
                ("Sled push", 3, 4, D("15"), "", 120, True),
                ("Rope pull (sled)", 3, 4, D("10"), "", 120, True),
                ("Floor-to-waist lift (crate)", 3, 6, D("5"), "", 120, True),
                ("Standing work tolerance", 1, 1, D("20"), "", 0, False),
            ]),
            ("Graded return and maintenance",
             "Keep capacity at the job demand while shifts build up.", 3, "", [
                ("Sled push", 2, 4, D("18"), "", 120, True),
                ("Rope pull (sled)", 2, 4, D("12"), "", 120, True),
            ]),
        ],
    ),
]


def seed(apps, schema_editor):
    Exercise = apps.get_model("programs", "Exercise")
    Program = apps.get_model("programs", "Program")
    Phase = apps.get_model("programs", "Phase")
    Prescription = apps.get_model("programs", "Prescription")
    exercises = {}
    for name, category, task_type, kind, increment, description in EXERCISES:
        exercises[name], _ = Exercise.objects.get_or_create(
            clinic=None,
            name=name,
            defaults={
                "category": category,
                "task_type": task_type,
                "quantity_kind": kind,
                "increment": increment,
                "description": description,
            },
        )
    for name, description, phases in TEMPLATES:
        if Program.objects.filter(is_template=True, clinic=None, name=name).exists():
            continue
        program = Program.objects.create(
            is_template=True, clinic=None, name=name, description=description, status="draft"
        )
        for order, (phase_name, goals, weeks, criteria, rows) in enumerate(phases, start=1):
            phase = Phase.objects.create(
                program=program,
                order=order,
                name=phase_name,
                goals=goals,
                planned_weeks=weeks,
                exit_criteria=criteria,
            )
            for position, (exercise, sets, reps, quantity, tempo, rest, key) in enumerate(rows):
                Prescription.objects.create(
                    phase=phase,
                    exercise=exercises[exercise],
                    order=position,
                    sets=sets,
                    reps=reps,
                    quantity=quantity,
                    tempo=tempo,
                    rest_seconds=rest,
                    increment=exercises[exercise].increment,
                    is_key=key,
                )
        program.current_phase = Phase.objects.get(program=program, order=1)
        program.save(update_fields=["current_phase"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
