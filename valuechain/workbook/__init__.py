"""The centre's workbook written: the blank template, a workbook written back, the editor's edits."""
