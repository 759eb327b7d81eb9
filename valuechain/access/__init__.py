"""Who may do what on a shared server: the one rule (authorise), people and roles, the audit log."""
