"""Names the exit criteria and the engine use for assessment measures and job demands.

A criterion such as ``lift_floor_to_waist >= 80% demand`` names a measure of the latest
assessment and, with ``% demand``, the job demand of the task of the same name.
"""

from patients.models import TaskType

# measure name → Assessment field (grip: the best of the three trials of that hand)
ASSESSMENT_FIELDS = {
    "lift_floor_to_waist": "lift_floor_to_waist_kg",
    "lift_waist_to_shoulder": "lift_waist_to_shoulder_kg",
    "lift_overhead": "lift_overhead_kg",
    "carry": "carry_kg",
    "push": "push_kg",
    "pull": "pull_kg",
    "standing": "standing_tolerance_min",
    "sitting": "sitting_tolerance_min",
    "walking": "walking_distance_m",
    "nprs": "nprs",
    "rest_pain": "rest_pain",
}
GRIP_MEASURES = {
    "grip_left": ("grip_left_1", "grip_left_2", "grip_left_3"),
    "grip_right": ("grip_right_1", "grip_right_2", "grip_right_3"),
}
MEASURE_LABELS = {
    "lift_floor_to_waist": "floor-to-waist lift (kg)",
    "lift_waist_to_shoulder": "waist-to-shoulder lift (kg)",
    "lift_overhead": "overhead lift (kg)",
    "carry": "carry (kg)",
    "push": "push force (kg)",
    "pull": "pull force (kg)",
    "standing": "sustained standing (min)",
    "sitting": "sustained sitting (min)",
    "walking": "walking distance (m)",
    "nprs": "pain now (NPRS 0-10)",
    "rest_pain": "pain at rest (NPRS 0-10)",
    "grip_left": "left grip, best trial (kg)",
    "grip_right": "right grip, best trial (kg)",
}
KNOWN_MEASURES = tuple(MEASURE_LABELS)

# Which job-task field is the demand for each task type's measure.
DURATION_TASKS = frozenset({TaskType.STANDING, TaskType.SITTING, TaskType.STAIRS_LADDERS})
DISTANCE_TASKS = frozenset({TaskType.WALKING})

ASSESSMENT_COLUMNS = (
    "id",
    "assessed_on",
    "kind",
    "red_flag_tier",
    *ASSESSMENT_FIELDS.values(),
    *(name for trials in GRIP_MEASURES.values() for name in trials),
)
