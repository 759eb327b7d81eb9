"""What several groups of tests share: stores, the browser, the app under AppTest. Public names only."""
