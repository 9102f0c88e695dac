"""Schedule: reminders and the calendar feed."""
