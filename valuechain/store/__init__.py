"""The federation's store: its schema, centres and versions, drafts, batch imports, migrations."""
