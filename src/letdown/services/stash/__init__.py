"""The milk stash: containers (queries and actions), the plan and custom storage limits."""
