"""Cross-cutting plumbing shared with every aiscaffold project: settings and logging."""
