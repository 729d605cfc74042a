from django.urls import path

from patients.views import jobs

app_name = "jobs"

urlpatterns = [
    path("", jobs.profile_list, name="list"),
    path("new/", jobs.create, name="create"),
    path("templates/<int:template_id>/use/", jobs.from_template, name="from_template"),
    path("<int:profile_id>/", jobs.detail, name="detail"),
    path("<int:profile_id>/edit/", jobs.edit, name="edit"),
    path("<int:profile_id>/tasks/new/", jobs.task_add, name="task_add"),
    path("<int:profile_id>/tasks/<int:task_id>/edit/", jobs.task_edit, name="task_edit"),
    path("<int:profile_id>/tasks/<int:task_id>/delete/", jobs.task_delete, name="task_delete"),
]
