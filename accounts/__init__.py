"""Staff accounts for the workspace: who they are, their role, how they prove it."""
