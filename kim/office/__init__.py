"""The office that runs the programme: its letterhead and the people who sign what it reports."""
