"""Files in: workbooks, CSV, zips and Kumu exports read as tables, then validated with every problem located."""
