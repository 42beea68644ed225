"""Chat turns as tasks of their own, with transcripts a dropped stream resumes from."""
