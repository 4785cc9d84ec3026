from django.urls import include, path

from .views import builder, polls, results, surveys

app_name = "polls"

poll_urls = [
    path("", polls.poll_detail, name="poll_detail"),
    path("vote/", polls.poll_vote, name="poll_vote"),
    path("withdraw/", polls.poll_withdraw, name="poll_withdraw"),
    path("edit/", polls.poll_edit, name="poll_edit"),
    path("close/", polls.poll_close, name="poll_close"),
    path("reopen/", polls.poll_reopen, name="poll_reopen"),
    path("voters/", polls.poll_voters, name="poll_voters"),
    path("export.csv", polls.poll_export, name="poll_export"),
]

survey_urls = [
    path("", surveys.survey_detail, name="survey_detail"),
    path("respond/", surveys.survey_respond, name="survey_respond"),
    path("response/<str:key>/", surveys.survey_anonymous_edit, name="survey_anonymous_edit"),
    path("edit/", builder.survey_edit, name="survey_edit"),
    path("build/", builder.survey_build, name="survey_build"),
    path("sections/new/", builder.section_create, name="section_create"),
    path("sections/<int:section_pk>/edit/", builder.section_edit, name="section_edit"),
    path("sections/<int:section_pk>/delete/", builder.section_delete, name="section_delete"),
    path("questions/new/", builder.question_create, name="question_create"),
    path("questions/<int:question_pk>/edit/", builder.question_edit, name="question_edit"),
    path("questions/<int:question_pk>/delete/", builder.question_delete, name="question_delete"),
    path("questions/<int:question_pk>/move/", builder.question_move, name="question_move"),
    path("publish/", builder.survey_publish, name="survey_publish"),
    path("close/", builder.survey_close, name="survey_close"),
    path("reopen/", builder.survey_reopen, name="survey_reopen"),
    path("remind/", builder.survey_remind, name="survey_remind"),
    path("results/", results.survey_results, name="survey_results"),
    path("results/<int:question_pk>/answers/", results.survey_text_answers, name="survey_text_answers"),
    path("export.csv", results.survey_export, name="survey_export"),
]

urlpatterns = [
    path("", polls.poll_list, name="poll_list"),
    path("new/", polls.poll_create, name="poll_create"),
    path("<int:pk>/", include(poll_urls)),
    path("surveys/new/", builder.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", include(survey_urls)),
]
