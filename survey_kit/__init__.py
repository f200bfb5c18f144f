"""survey_kit."""
